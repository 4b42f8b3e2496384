/**
 * Batching offline work: the OpenAI Batch API (`runBatch`, priced exactly at batch rates against one call per
 * item) and item packing (`runPacked`: several items per prompt, per-item retry, measured against one call
 * per item).
 */
export type { BatchItem, ItemRequestOptions } from './batch-item.js';
export type { CallTally, PricedCall } from './call-tally.js';
export { packedPrompt, parsePackedAnswer } from './packed-prompt.js';
export { type LabelledBatchItem, parseBatchItems } from './parse-batch-items.js';
export { type BatchItemOutcome, type BatchRunReport, type RunBatchOptions, runBatch } from './run-batch.js';
export {
  type PackedItemOutcome,
  type PackedQuality,
  type PackedRunReport,
  type RunPackedOptions,
  runPacked,
} from './run-packed.js';
