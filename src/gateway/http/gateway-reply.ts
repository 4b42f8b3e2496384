/** A request as the gateway's handlers see it: the body already read (size-capped) and parsed as JSON. */
export type GatewayRequest = {
  readonly method: string;
  /** The path without the query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Lower-case header names (node:http's `IncomingMessage.headers`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body (undefined for GET and empty bodies). */
  readonly body: unknown;
};

/** A complete JSON reply. */
export type JsonReply = {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>> | undefined;
};

/** Which provider's error shape a route answers in. */
export type ErrorDialect = 'openai' | 'anthropic';

const openAITypes: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  408: 'timeout_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'server_error',
  502: 'upstream_error',
  503: 'service_unavailable_error',
  504: 'timeout_error',
};

const anthropicTypes: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  408: 'timeout_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  502: 'api_error',
  503: 'overloaded_error',
  504: 'timeout_error',
};

/** What went wrong, independent of the dialect it is told in. */
export type GatewayProblem = {
  readonly status: number;
  readonly message: string;
  /** A stable machine-readable code: `invalid_api_key`, `model_not_allowed`, `budget_exceeded`, ... */
  readonly code: string;
  /** The request field at fault, e.g. `messages[0].content` (OpenAI's `param`). */
  readonly param?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
};

/**
 * The provider-shaped JSON error for a problem: OpenAI's `{ error: { message, type, param, code } }` or
 * Anthropic's `{ type: "error", error: { type, message } }`, with the right status.
 */
export function errorReply(problem: GatewayProblem, dialect: ErrorDialect = 'openai'): JsonReply {
  const status = problem.status;
  if (dialect === 'anthropic') {
    return {
      status,
      headers: problem.headers,
      body: {
        type: 'error',
        error: { type: anthropicTypes[status] ?? 'api_error', message: problem.message },
      },
    };
  }
  return {
    status,
    headers: problem.headers,
    body: {
      error: {
        message: problem.message,
        type: openAITypes[status] ?? 'server_error',
        param: problem.param ?? null,
        code: problem.code,
      },
    },
  };
}

/** A problem thrown by a gateway step and turned into an error reply by the server. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(readonly problem: GatewayProblem) {
    super(problem.message);
  }
}

/** Shorthand: `throw gatewayError(401, 'invalid_api_key', 'Incorrect API key provided')`. */
export function gatewayError(
  status: number,
  code: string,
  message: string,
  extra?: { readonly param?: string; readonly headers?: Readonly<Record<string, string>> },
): GatewayError {
  return new GatewayError({ status, code, message, ...extra });
}

/** One header's value (the first when repeated). */
export function headerValue(request: Pick<GatewayRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
