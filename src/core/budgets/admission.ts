import type { Picodollars } from '../money.js';
import type { Attribution, SpanCost } from '../spans/span.js';

/** A call about to be sent, as budgets see it: who it is for and the most it can cost. */
export type AdmissionRequest = {
  readonly model: string;
  readonly attribution: Attribution;
  /**
   * The call's maximum cost (see `maxCallCost`), or undefined when it cannot be bounded (a model without a
   * price or output limit): a hard budget covering such a call refuses it, saying `unboundedReason`.
   */
  readonly maxCost: Picodollars | undefined;
  readonly unboundedReason?: string | undefined;
};

/** The outcome of a call that was admitted: its actual cost, the models that answered. */
export type Settlement = {
  readonly cost: SpanCost | undefined;
  readonly status: 'ok' | 'error';
  /** The model that answered, when it differs from the one asked for. */
  readonly responseModel?: string | undefined;
};

/** A reservation held for one admitted call; settle it exactly once when the call ends. */
export interface AdmissionTicket {
  /**
   * Replaces the reservation with the call's actual cost. An ok call whose cost is unknown keeps its whole
   * reservation as spend (never counted as $0); a failed call with no usage costs nothing.
   */
  settle(settlement: Settlement): void;
}

/**
 * Decides, before a call is sent, whether budgets allow it; reserves its maximum cost if so. Throws a
 * BudgetExceededError otherwise. Implemented by control's budget guard (in-process) and, for gateway replicas,
 * over Redis.
 */
export interface CallAdmission {
  admit(request: AdmissionRequest): Promise<AdmissionTicket>;
}
