import type { Usage } from '../core/usage.js';

/** A count as the AI SDK gives it: a number, or undefined when the provider did not report it. */
type Count = number | undefined;

/**
 * The AI SDK's normalised usage. AI SDK 6 (`LanguageModelV3Usage`) nests it — `inputTokens: { total, noCache,
 * cacheRead, cacheWrite }`, `outputTokens: { total, text, reasoning }` — where AI SDK 5 (`LanguageModelV2Usage`)
 * had flat `inputTokens`, `outputTokens`, `reasoningTokens`, `cachedInputTokens`. Both are read.
 */
export type AiSdkUsage = {
  readonly inputTokens?:
    | Count
    | { readonly total?: Count; readonly cacheRead?: Count; readonly cacheWrite?: Count }
    | undefined;
  readonly outputTokens?: Count | { readonly total?: Count; readonly reasoning?: Count } | undefined;
  readonly reasoningTokens?: Count;
  readonly cachedInputTokens?: Count;
};

const count = (value: unknown): Count =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

/**
 * frugal usage from the AI SDK's. The AI SDK already follows frugal's convention (total input includes cache
 * reads and writes, total output includes reasoning), so this only renames; nothing is re-derived. The AI SDK
 * does not split cache writes by TTL: all are taken as 5-minute writes.
 */
export function usageFromAiSdk(usage: AiSdkUsage | undefined): Usage {
  if (usage === undefined) return {};
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  const nestedInput = typeof input === 'object' ? input : undefined;
  const nestedOutput = typeof output === 'object' ? output : undefined;
  return {
    input: count(nestedInput ? nestedInput.total : input),
    cachedInput: count(nestedInput ? nestedInput.cacheRead : usage.cachedInputTokens),
    cacheWrite: count(nestedInput?.cacheWrite),
    output: count(nestedOutput ? nestedOutput.total : output),
    reasoning: count(nestedOutput ? nestedOutput.reasoning : usage.reasoningTokens),
  };
}

/** AI SDK provider ids (their part before the first dot) as OpenTelemetry `gen_ai.provider.name` values. */
const providerNames: Readonly<Record<string, string>> = {
  google: 'gcp.gemini',
  'google-vertex': 'gcp.vertex_ai',
  vertex: 'gcp.vertex_ai',
  'amazon-bedrock': 'aws.bedrock',
  bedrock: 'aws.bedrock',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  mistral: 'mistral_ai',
  xai: 'x_ai',
};

/** `openai.responses` → `openai`, `google.generative-ai` → `gcp.gemini`, `anthropic.messages` → `anthropic`. */
export function providerName(aiSdkProvider: string): string {
  const family = aiSdkProvider.split('.')[0] ?? aiSdkProvider;
  return providerNames[family] ?? family;
}
