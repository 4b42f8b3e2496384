/**
 * The spelling rules of model ids, in one place: provider prefixes (`openai/gpt-4o`), Bedrock's geographic
 * inference-profile prefixes (`us.anthropic.claude-…`) and dated snapshot suffixes (`gpt-4o-2024-08-06`,
 * `claude-sonnet-4-20250514`, `claude-3-5-sonnet@20240620`, `gpt-4-0613`).
 */

/** Splits `provider/rest` at the first slash; `undefined` when there is no slash. */
export function splitProviderPrefix(name: string): { prefix: string; rest: string } | undefined {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return undefined;
  return { prefix: name.slice(0, slash).toLowerCase(), rest: name.slice(slash + 1) };
}

const regionPrefix = /^(us|eu|apac|au|jp|ca|global|us-gov)\.(?=[a-z0-9-]+\.)/i;

/** `us.anthropic.claude-…` → `{ region: 'us', rest: 'anthropic.claude-…' }` (Bedrock cross-region ids). */
export function splitRegionPrefix(name: string): { region: string; rest: string } | undefined {
  const match = regionPrefix.exec(name);
  if (!match) return undefined;
  return { region: match[1]!.toLowerCase(), rest: name.slice(match[0].length) };
}

const snapshotSuffixes = [
  /[-@](\d{4}-\d{2}-\d{2})$/, // gpt-4o-2024-08-06
  /[-@](\d{8})$/, // claude-sonnet-4-20250514, claude-3-5-sonnet@20240620
  /-((?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))$/, // gpt-4-0613 (MMDD)
];

/** `gpt-4o-2024-08-06` → `{ base: 'gpt-4o', snapshot: '2024-08-06' }`; `undefined` when undated. */
export function splitSnapshot(name: string): { base: string; snapshot: string } | undefined {
  for (const pattern of snapshotSuffixes) {
    const match = pattern.exec(name);
    if (match && match.index > 0) return { base: name.slice(0, match.index), snapshot: match[1]! };
  }
  return undefined;
}

/**
 * Whether a catalog provider (LiteLLM's `litellm_provider`) answers to a user's prefix: the same name, a
 * sub-provider (`vertex_ai` → `vertex_ai-anthropic_models`, `cohere` → `cohere_chat`), or a known alias.
 */
export function providerAnswersTo(provider: string, prefix: string): boolean {
  const aliases: Readonly<Record<string, readonly string[]>> = {
    openai: ['text-completion-openai'],
    azure: ['azure_text'],
    google: ['gemini', 'vertex_ai-language-models'],
    amazon: ['bedrock', 'bedrock_converse'],
  };
  return (
    provider === prefix ||
    provider.startsWith(`${prefix}-`) ||
    provider.startsWith(`${prefix}_`) ||
    (aliases[prefix]?.includes(provider) ?? false)
  );
}

/** Lower-case words of a name, for overlap scores: `openai/gpt-4o-mini` → gpt, 4o, mini, openai. */
export function nameTokens(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);
}

/** The name's last path segment without separators: `openai/gpt-4o` → `gpt4o`. */
export function squashedBase(name: string): string {
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.toLowerCase().replace(/[^a-z0-9]/g, '');
}
