/** The OpenAI Batch API for chat completions: upload, create, poll, cancel, download and read back by id. */
export {
  type BatchProblem,
  type BatchState,
  type BatchStatus,
  batchStatuses,
  finalBatchStatuses,
} from './batch-state.js';
export {
  type BatchRequestItem,
  createOpenAIBatchClient,
  maxBatchRequests,
  type OpenAIBatchClient,
  type OpenAIBatchClientOptions,
} from './openai-batch-client.js';
export { type BatchLineError, type BatchLineResult, parseBatchOutput } from './parse-batch-output.js';
export { type WaitForBatchOptions, waitForBatch } from './wait-for-batch.js';
