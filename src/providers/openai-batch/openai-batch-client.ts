import { UsageError } from '../../core/errors.js';
import type { GenerateRequest } from '../chat-model.js';
import { endpointUrl } from '../endpoint-url.js';
import { createHttpClient } from '../http-exchange.js';
import { openAIChatWire } from '../openai-chat-wire.js';
import { type OpenAICompatibleOptions, settleOpenAICompatibleOptions } from '../openai-compatible-options.js';
import { invalidResponseError } from '../provider-error-mapping.js';
import { type BatchState, readBatchState } from './batch-state.js';
import { createBatchTransport } from './batch-transport.js';
import { type BatchLineResult, parseBatchOutput } from './parse-batch-output.js';
import { type WaitForBatchOptions, waitForBatch } from './wait-for-batch.js';

/** One request of a batch; `customId` maps its answer back (unique in the batch, at most 64 characters). */
export type BatchRequestItem = { readonly customId: string; readonly request: GenerateRequest };

export type OpenAIBatchClientOptions = OpenAICompatibleOptions & {
  /** The endpoint every request goes to, as the batch names it (default `/v1/chat/completions`). */
  readonly batchEndpoint?: string | undefined;
};

/** The OpenAI Batch API for chat completions: upload a JSONL file, create, poll, cancel, download, read. */
export interface OpenAIBatchClient {
  readonly provider: string;
  readonly model: string;
  /** The API root calls go to. */
  readonly endpoint: string;
  /** The JSONL input file: one `{ custom_id, method: 'POST', url, body }` line per request, in order. */
  inputFile(items: readonly BatchRequestItem[]): string;
  /** `POST /files` (multipart, `purpose=batch`). */
  uploadFile(content: string, filename: string, signal?: AbortSignal): Promise<{ id: string; bytes: number }>;
  /** `POST /batches` over an uploaded file, completion window 24h. */
  createBatch(
    inputFileId: string,
    metadata?: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): Promise<BatchState>;
  /** Builds the input file, uploads it and creates the batch. */
  submit(items: readonly BatchRequestItem[], signal?: AbortSignal): Promise<BatchState>;
  retrieveBatch(batchId: string, signal?: AbortSignal): Promise<BatchState>;
  /** `POST /batches/{id}/cancel`: the batch goes `cancelling`, then `cancelled` with what was done. */
  cancelBatch(batchId: string, signal?: AbortSignal): Promise<BatchState>;
  /** Polls until the batch is completed, failed, expired or cancelled (see `waitForBatch`). */
  waitForBatch(batchId: string, options?: WaitForBatchOptions): Promise<BatchState>;
  /** `GET /files/{id}/content`. */
  fileContent(fileId: string, signal?: AbortSignal): Promise<string>;
  /** Downloads and reads the batch's output and error files: one result per answered request. */
  results(batch: BatchState, signal?: AbortSignal): Promise<BatchLineResult[]>;
}

/** Most requests one batch file may hold (OpenAI's limit). */
export const maxBatchRequests = 50_000;

/**
 * A Batch API client for OpenAI and OpenAI-compatible servers, over the same options, presets, retry policy and
 * error mapping as the chat adapter; request lines are built and answers read by the chat adapter's wire.
 */
export function createOpenAIBatchClient(options: OpenAIBatchClientOptions): OpenAIBatchClient {
  const settled = settleOpenAICompatibleOptions(options);
  const { provider, model, baseUrl, query } = settled;
  const client = createHttpClient(provider, options, [options.apiKey]);
  const transport = createBatchTransport(client, settled.authHeaders);
  const batchEndpoint = options.batchEndpoint ?? '/v1/chat/completions';
  const wire = openAIChatWire({
    provider,
    model,
    url: batchEndpoint,
    headers: {},
    maxTokensField: settled.maxTokensField,
    streamUsageOption: settled.streamUsageOption,
  });
  const url = (path: string) => endpointUrl(baseUrl, path, query);
  const batchJson = async (call: Parameters<typeof transport.json>[0], signal: AbortSignal | undefined) => {
    const { body, requestId } = await transport.json(call, signal);
    return readBatchState(provider, body, requestId);
  };

  const batchClient: OpenAIBatchClient = {
    provider,
    model,
    endpoint: baseUrl,
    inputFile(items) {
      if (items.length === 0) throw new UsageError('a batch needs at least one request');
      if (items.length > maxBatchRequests) {
        throw new UsageError(
          `a batch holds at most ${maxBatchRequests} requests, got ${items.length}: split them into several batches`,
        );
      }
      const seen = new Set<string>();
      return items
        .map(({ customId, request }, index) => {
          if (customId === '' || customId.length > 64) {
            throw new UsageError(
              `request ${index + 1}: custom id must be 1 to 64 characters, got '${customId}'`,
            );
          }
          if (seen.has(customId))
            throw new UsageError(`request ${index + 1}: custom id '${customId}' is repeated`);
          seen.add(customId);
          return `${JSON.stringify({ custom_id: customId, method: 'POST', url: batchEndpoint, body: wire.request(request, false).body })}\n`;
        })
        .join('');
    },
    async uploadFile(content, filename, signal) {
      const form = new FormData();
      form.append('purpose', 'batch');
      form.append('file', new Blob([content], { type: 'application/jsonl' }), filename);
      const { body, requestId } = await transport.json({ method: 'POST', url: url('/files'), form }, signal);
      const file = body as { id?: unknown; bytes?: unknown };
      if (typeof file.id !== 'string' || file.id === '') {
        throw invalidResponseError(provider, 'the uploaded file object has no id', { requestId, body });
      }
      return { id: file.id, bytes: typeof file.bytes === 'number' ? file.bytes : Buffer.byteLength(content) };
    },
    createBatch: (inputFileId, metadata, signal) =>
      batchJson(
        {
          method: 'POST',
          url: url('/batches'),
          json: {
            input_file_id: inputFileId,
            endpoint: batchEndpoint,
            completion_window: '24h',
            ...(metadata ? { metadata } : {}),
          },
        },
        signal,
      ),
    async submit(items, signal) {
      const file = await batchClient.uploadFile(batchClient.inputFile(items), 'frugal-batch.jsonl', signal);
      return batchClient.createBatch(file.id, { created_by: 'frugal' }, signal);
    },
    retrieveBatch: (batchId, signal) =>
      batchJson({ method: 'GET', url: url(`/batches/${encodeURIComponent(batchId)}`) }, signal),
    cancelBatch: (batchId, signal) =>
      batchJson({ method: 'POST', url: url(`/batches/${encodeURIComponent(batchId)}/cancel`) }, signal),
    waitForBatch: (batchId, waitOptions = {}) =>
      waitForBatch(provider, batchId, batchClient.retrieveBatch, {
        sleep: client.retry.sleep,
        ...waitOptions,
      }),
    fileContent: (fileId, signal) =>
      transport.text({ method: 'GET', url: url(`/files/${encodeURIComponent(fileId)}/content`) }, signal),
    async results(batch, signal) {
      const files = [
        ['output', batch.outputFileId],
        ['error', batch.errorFileId],
      ] as const;
      const results: BatchLineResult[] = [];
      for (const [kind, fileId] of files) {
        if (fileId === undefined) continue;
        const content = await batchClient.fileContent(fileId, signal);
        results.push(...parseBatchOutput(provider, content, `${kind} file ${fileId}`, wire.reply));
      }
      return results;
    },
  };
  return batchClient;
}
