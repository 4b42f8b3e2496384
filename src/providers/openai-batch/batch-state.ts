import { invalidResponseError } from '../provider-error-mapping.js';

/** Every status of an OpenAI batch, in the order a batch usually moves through them. */
export const batchStatuses = [
  'validating',
  'in_progress',
  'finalizing',
  'completed',
  'failed',
  'expired',
  'cancelling',
  'cancelled',
] as const;
/** One of `batchStatuses`. */
export type BatchStatus = (typeof batchStatuses)[number];

/** The statuses a batch never leaves. */
export const finalBatchStatuses: readonly BatchStatus[] = ['completed', 'failed', 'expired', 'cancelled'];

/** A problem the provider found with the batch as a whole (its input file, usually), with the line if known. */
export type BatchProblem = {
  readonly code: string | undefined;
  readonly message: string;
  readonly line: number | undefined;
};

/** A batch as the provider last reported it. */
export type BatchState = {
  readonly id: string;
  readonly status: BatchStatus;
  readonly inputFileId: string;
  /** The results of requests that succeeded (also of those done before a batch expired or was cancelled). */
  readonly outputFileId: string | undefined;
  /** The requests that failed, expired or were cancelled. */
  readonly errorFileId: string | undefined;
  readonly requestCounts:
    | { readonly total: number; readonly completed: number; readonly failed: number }
    | undefined;
  /** Why a batch failed validation (bad JSONL, wrong endpoint, ...). */
  readonly problems: readonly BatchProblem[];
  /** The batch object as received. */
  readonly raw: unknown;
};

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

function requestCounts(value: unknown): BatchState['requestCounts'] {
  if (typeof value !== 'object' || value === null) return undefined;
  const counts = value as Record<string, unknown>;
  const total = count(counts['total']);
  const completed = count(counts['completed']);
  const failed = count(counts['failed']);
  return total === undefined || completed === undefined || failed === undefined
    ? undefined
    : { total, completed, failed };
}

function problems(value: unknown): BatchProblem[] {
  const data = (value as { data?: unknown } | null | undefined)?.data;
  if (!Array.isArray(data)) return [];
  return data.map((item: Record<string, unknown> | null) => ({
    code: text(item?.['code']),
    message: text(item?.['message']) ?? 'no message',
    line: count(item?.['line']),
  }));
}

/** Reads a batch object (`{ id, object: 'batch', status, ... }`); throws an `invalidResponseError` if it is not one. */
export function readBatchState(provider: string, body: unknown, requestId?: string): BatchState {
  const batch = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const id = text(batch['id']);
  const status = batch['status'];
  const inputFileId = text(batch['input_file_id']);
  if (id === undefined || inputFileId === undefined || !batchStatuses.includes(status as BatchStatus)) {
    throw invalidResponseError(
      provider,
      `not a batch object (needs id, input_file_id and a known status; status was ${JSON.stringify(status)})`,
      { requestId, body },
    );
  }
  return {
    id,
    status: status as BatchStatus,
    inputFileId,
    outputFileId: text(batch['output_file_id']),
    errorFileId: text(batch['error_file_id']),
    requestCounts: requestCounts(batch['request_counts']),
    problems: problems(batch['errors']),
    raw: body,
  };
}
