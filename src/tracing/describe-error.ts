/**
 * An error as a span records it: `type` is the error's class name (`RateLimitError`, `TypeError`), or its
 * `name` when the class is plain `Error`; `_OTHER` (OpenTelemetry's fallback for `error.type`) when what was
 * thrown is not an Error at all.
 */
export function describeError(error: unknown): { type: string; message: string } {
  if (error instanceof Error) {
    const className = error.constructor?.name;
    const type = className && className !== 'Error' ? className : error.name || 'Error';
    return { type, message: error.message };
  }
  return { type: '_OTHER', message: typeof error === 'string' ? error : safeString(error) };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'unprintable error';
  }
}
