import { formatUsd } from '../money.js';
import type { AttributeValue, Span } from './span.js';

/**
 * OpenTelemetry GenAI semantic-convention attribute names frugal writes (conventions in Development status;
 * checked against the semantic-conventions registry). Cache reads/writes and reasoning are parts of
 * `input_tokens` / `output_tokens`, as in frugal's `Usage`.
 */
export const genAiAttributeNames = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  /** Deprecated in favour of `gen_ai.provider.name`; still written for older backends. */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  reasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  errorType: 'error.type',
} as const;

/** frugal's own attributes, namespaced `frugal.*`. Money is an exact decimal string of US dollars. */
export const frugalAttributeNames = {
  costUsd: 'frugal.cost.usd',
  costPriceId: 'frugal.cost.price_id',
  costPriceSource: 'frugal.cost.price_source',
  costUnpricedReason: 'frugal.cost.unpriced_reason',
  feature: 'frugal.feature',
  user: 'frugal.user',
  apiKeyId: 'frugal.api_key_id',
  runId: 'frugal.run_id',
  tags: 'frugal.tags',
  usageEstimated: 'frugal.usage.estimated',
  cacheWrite1hInputTokens: 'frugal.usage.cache_write_1h.input_tokens',
  simulated: 'frugal.simulated',
  timeToFirstTokenMs: 'frugal.time_to_first_token_ms',
} as const;

/**
 * A span's attributes under OpenTelemetry names: the span's free `attributes` first, then the GenAI fields,
 * usage, cost and attribution (which win over a free attribute of the same name). Fields that are undefined
 * are left out — an unreported token count is never written as 0. Cache creation sums the 5-minute and
 * 1-hour writes (the 1-hour part is also written as `frugal.usage.cache_write_1h.input_tokens`).
 */
export function otelAttributes(span: Span): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = { ...span.attributes };
  const put = (name: string, value: AttributeValue | undefined) => {
    if (value !== undefined) attributes[name] = value;
  };
  const names = genAiAttributeNames;
  put(names.operation, span.operation);
  put(names.provider, span.provider);
  put(names.system, span.provider);
  put(names.requestModel, span.requestModel);
  put(names.responseModel, span.responseModel);
  const usage = span.usage;
  if (usage) {
    put(names.inputTokens, usage.input);
    put(names.outputTokens, usage.output);
    put(names.cacheReadInputTokens, usage.cachedInput);
    const writes =
      usage.cacheWrite === undefined && usage.cacheWrite1h === undefined
        ? undefined
        : (usage.cacheWrite ?? 0) + (usage.cacheWrite1h ?? 0);
    put(names.cacheCreationInputTokens, writes);
    put(frugalAttributeNames.cacheWrite1hInputTokens, usage.cacheWrite1h);
    put(names.reasoningOutputTokens, usage.reasoning);
  }
  if (span.error) put(names.errorType, span.error.type);
  const own = frugalAttributeNames;
  if (span.cost?.status === 'priced') {
    put(own.costUsd, formatUsd(span.cost.total, 0));
    put(own.costPriceId, span.cost.priceId);
    put(own.costPriceSource, span.cost.source);
  } else if (span.cost?.status === 'unpriced') {
    put(own.costUnpricedReason, span.cost.reason);
  }
  const attribution = span.attribution;
  put(own.feature, attribution.feature);
  put(own.user, attribution.user);
  put(own.apiKeyId, attribution.apiKeyId);
  put(own.runId, attribution.runId);
  if (attribution.tags && attribution.tags.length > 0) put(own.tags, [...attribution.tags]);
  put(own.usageEstimated, span.usageEstimated);
  put(own.simulated, span.simulated);
  put(own.timeToFirstTokenMs, span.timeToFirstTokenMs);
  return attributes;
}
