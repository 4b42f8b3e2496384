/** The base of every error frugal throws on purpose. `cause` is always kept. */
export class FrugalError extends Error {
  override readonly name: string = 'FrugalError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bad input from a user: a flag, an argument, a value. The CLI turns it into exit code 2. */
export class UsageError extends FrugalError {
  override readonly name = 'UsageError';
}

/** A config or data file that cannot be used: names the file, the path inside it, what was expected. */
export class ConfigError extends FrugalError {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${path ? ` at ${path}` : ''}: ${problem}`, options);
  }
}

/** A model with no price: never costed as $0. Carries close names a user probably meant. */
export class UnpricedModelError extends FrugalError {
  override readonly name = 'UnpricedModelError';
  constructor(
    readonly model: string,
    readonly suggestions: readonly string[],
  ) {
    super(
      `no price for model '${model}'${suggestions.length ? `; did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : ''}`,
    );
  }
}

/**
 * The span store cannot be opened or used: a corrupt or locked file, an unreachable PostgreSQL, a schema
 * written by a newer frugal. `location` names the file or `host:port/database` (never a password).
 */
export class StoreError extends FrugalError {
  override readonly name = 'StoreError';
  constructor(
    readonly location: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${location}: ${problem}`, options);
  }
}

/**
 * A call refused before it was sent because its maximum cost would take a hard budget over its limit. Says
 * which budget, its limit, what is spent and reserved, what the call could cost, and when the period resets.
 */
export class BudgetExceededError extends FrugalError {
  override readonly name = 'BudgetExceededError';
  constructor(
    readonly budgetId: string,
    readonly details: {
      readonly limit: bigint;
      readonly spent: bigint;
      readonly reserved: bigint;
      /** The call's maximum cost; undefined when it could not be bounded (no price or output limit). */
      readonly requested: bigint | undefined;
      readonly periodStart: number;
      readonly resetsAt: number;
    },
    message: string,
  ) {
    super(message);
  }
}

/**
 * A provider call that failed: an HTTP error status, a timeout, a dropped connection or a reply that cannot
 * be read. `retryable` is the single verdict the retry policy acts on (408, 409, 429, 5xx, timeouts and
 * connection errors are; other 4xx are not); `retryAfterMs` is what the provider asked for, when it did.
 */
export class ProviderError extends FrugalError {
  override readonly name = 'ProviderError';
  constructor(
    readonly provider: string,
    readonly details: {
      /** HTTP status, or undefined when no response arrived (timeout, connection error). */
      readonly status?: number | undefined;
      /** The provider's own error type or code (`rate_limit_error`, `insufficient_quota`, `timeout`). */
      readonly code?: string | undefined;
      readonly retryable: boolean;
      readonly retryAfterMs?: number | undefined;
      readonly requestId?: string | undefined;
      /** The error body as received (JSON when it parsed), never containing the API key. */
      readonly body?: unknown;
    },
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get retryable(): boolean {
    return this.details.retryable;
  }
}
