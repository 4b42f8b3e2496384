const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** `host:port/database` of a connection string: what error messages name (never the password). */
export function describePostgresLocation(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'PostgreSQL (unparsable connection string)';
  }
}

/** A readable reason for a PostgreSQL failure (the driver's error is kept as the cause). */
export function describePostgresError(error: unknown, location: string): string {
  const code = String((error as { code?: unknown }).code ?? '');
  const inner = (error as { errors?: unknown }).errors;
  let message = error instanceof Error ? error.message : String(error);
  if (message === '' && Array.isArray(inner)) message = inner.map((each) => String(each?.message)).join('; ');
  if (unreachableCodes.has(code) || /timeout|terminated unexpectedly/i.test(message)) {
    return `cannot reach PostgreSQL at ${location.split('/')[0]}: ${message || code}`;
  }
  if (code === '28P01' || code === '28000') return `PostgreSQL refused the login: ${message}`;
  if (code === '3D000') return `the database does not exist: ${message}`;
  return message || code;
}
