/** `{baseUrl}{path}` with `query` appended (over any query the base URL already has). */
export function endpointUrl(
  baseUrl: string,
  path: string,
  query: Readonly<Record<string, string>> = {},
): string {
  const [root = '', existing] = baseUrl.split('?', 2);
  const url = new URL(`${root.replace(/\/+$/, '')}${path}${existing ? `?${existing}` : ''}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}
