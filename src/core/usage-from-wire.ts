import type { Usage } from './usage.js';

/**
 * Wire shapes of provider usage objects, as they arrive (only the fields we read; everything optional because
 * providers and OpenAI-compatible servers omit what they do not count). Kept apart from `Usage` on purpose:
 * this file is the ONE place where provider conventions become frugal's convention.
 */
export type OpenAIChatUsageWire = {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  total_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null; audio_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null; audio_tokens?: number | null } | null;
  /** DeepSeek's own names for the same split, on its OpenAI-compatible API. */
  prompt_cache_hit_tokens?: number | null;
  prompt_cache_miss_tokens?: number | null;
};

export type OpenAIResponsesUsageWire = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  total_tokens?: number | null;
  input_tokens_details?: { cached_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
};

export type AnthropicUsageWire = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: {
    ephemeral_5m_input_tokens?: number | null;
    ephemeral_1h_input_tokens?: number | null;
  } | null;
};

export type GeminiUsageWire = {
  promptTokenCount?: number | null;
  candidatesTokenCount?: number | null;
  cachedContentTokenCount?: number | null;
  thoughtsTokenCount?: number | null;
  toolUsePromptTokenCount?: number | null;
  totalTokenCount?: number | null;
};

/** A count if the wire value is a non-negative integer, else undefined (null, missing, garbage: unknown). */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function sumKnown(...values: (number | undefined)[]): number | undefined {
  return values.some((value) => value === undefined)
    ? undefined
    : values.reduce<number>((a, b) => a + (b ?? 0), 0);
}

/**
 * OpenAI Chat Completions (and OpenAI-compatible servers). `prompt_tokens` already includes cached tokens and
 * `completion_tokens` already includes reasoning tokens, so both map straight across. OpenAI bills no cache
 * writes, so those stay unknown rather than being claimed as zero.
 */
export function usageFromOpenAIChat(wire: OpenAIChatUsageWire): Usage {
  return {
    input: count(wire.prompt_tokens),
    cachedInput: count(wire.prompt_tokens_details?.cached_tokens) ?? count(wire.prompt_cache_hit_tokens),
    output: count(wire.completion_tokens),
    reasoning: count(wire.completion_tokens_details?.reasoning_tokens),
  };
}

/** OpenAI Responses API: `input_tokens` includes cached, `output_tokens` includes reasoning. */
export function usageFromOpenAIResponses(wire: OpenAIResponsesUsageWire): Usage {
  return {
    input: count(wire.input_tokens),
    cachedInput: count(wire.input_tokens_details?.cached_tokens),
    output: count(wire.output_tokens),
    reasoning: count(wire.output_tokens_details?.reasoning_tokens),
  };
}

/**
 * Anthropic Messages. Anthropic's `input_tokens` EXCLUDES cache reads and cache writes, so frugal's input is
 * the sum of the three. Cache writes are split into 5-minute and 1-hour writes when `cache_creation` is
 * present; without it, all writes are 5-minute ones (the only kind before the 1-hour TTL existed). Output
 * includes extended-thinking tokens, which Anthropic does not report separately: reasoning stays unknown.
 */
export function usageFromAnthropic(wire: AnthropicUsageWire): Usage {
  const fresh = count(wire.input_tokens);
  const read = count(wire.cache_read_input_tokens) ?? (fresh === undefined ? undefined : 0);
  const split = wire.cache_creation;
  const written1h = split ? count(split.ephemeral_1h_input_tokens) : undefined;
  const written5m = split
    ? count(split.ephemeral_5m_input_tokens)
    : (count(wire.cache_creation_input_tokens) ?? (fresh === undefined ? undefined : 0));
  const allWrites = count(wire.cache_creation_input_tokens) ?? sumKnown(written5m, written1h ?? 0);
  return {
    input: sumKnown(fresh, read, allWrites),
    cachedInput: read,
    cacheWrite: written5m,
    cacheWrite1h: written1h,
    output: count(wire.output_tokens),
  };
}

/**
 * Google Gemini `usageMetadata`. `promptTokenCount` includes cached content; tool-use prompt tokens are billed
 * as input too. `candidatesTokenCount` EXCLUDES thinking tokens (`thoughtsTokenCount`), which are billed as
 * output, so frugal's output is their sum and reasoning is the thoughts. Gemini speaks proto3 JSON, which
 * omits zero-valued fields: once the metadata carries any count, a missing count means 0, not unknown.
 */
export function usageFromGemini(wire: GeminiUsageWire): Usage {
  const reported = [wire.promptTokenCount, wire.candidatesTokenCount, wire.totalTokenCount].some(
    (value) => count(value) !== undefined,
  );
  if (!reported) return {};
  const get = (value: number | null | undefined) => count(value) ?? 0;
  const thoughts = get(wire.thoughtsTokenCount);
  return {
    input: get(wire.promptTokenCount) + get(wire.toolUsePromptTokenCount),
    cachedInput: get(wire.cachedContentTokenCount),
    output: get(wire.candidatesTokenCount) + thoughts,
    reasoning: thoughts,
  };
}
