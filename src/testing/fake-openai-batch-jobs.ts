import { type FakeBatchLine, validateBatchInput } from './fake-openai-batch-input.js';
import type { FakeError } from './fake-reply.js';

/** An HTTP answer of the fake Batch API: JSON `body`, or `text` (a file's content). */
export type FakeBatchAnswer = {
  readonly status: number;
  readonly body: unknown;
  readonly text?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
};

/** How batches progress and fail; see `FakeOpenAIBatchServerOptions`. */
export type FakeBatchSwitches = {
  readonly failLines?: Readonly<Record<string, FakeError>> | undefined;
  readonly linesPerPoll?: number | undefined;
  readonly pollsPerStatus?: number | undefined;
  readonly expireAfterLines?: number | undefined;
  readonly corruptOutputLine?: number | undefined;
};

/** What the jobs need from the rest of the fake. */
export type FakeBatchJobsDeps = {
  readonly id: (prefix: string) => string;
  /** Answers one request line as the fake chat route would. */
  readonly answerLine: (body: unknown) => Promise<FakeBatchAnswer>;
  readonly error: (error: FakeError) => FakeBatchAnswer;
  /** Stores an output file; returns its id. */
  readonly addFile: (filename: string, content: string) => string;
  /** The content of an uploaded file. */
  readonly fileContent: (fileId: string) => string;
};

/** A batch: its wire object as shown, and the fake's own bookkeeping. */
type Batch = {
  readonly wire: Record<string, unknown>;
  lines: FakeBatchLine[];
  readonly results: {
    id: string;
    custom_id: string;
    response: { status_code: number; request_id: string; body: unknown };
    error: null;
  }[];
  done: number;
  failed: number;
  polls: number;
};

const seconds = () => Math.floor(Date.now() / 1000);
const jsonl = (lines: readonly unknown[]) => lines.map((line) => `${JSON.stringify(line)}\n`).join('');

/**
 * The batches of the fake Batch API. Each retrieve is one poll and moves a batch on: validating → in_progress
 * (or failed, with `errors.data`), `linesPerPoll` lines answered per poll → finalizing → completed; or expired
 * after `expireAfterLines`, or cancelled. On a final status the output file (200 answers) and the error file
 * (other answers, and `batch_expired` / `batch_cancelled` lines for what was never run) are written.
 */
export function fakeBatchJobs(switches: FakeBatchSwitches, deps: FakeBatchJobsDeps) {
  const batches = new Map<string, Batch>();
  const pollsPerStatus = switches.pollsPerStatus ?? 1;
  const view = ({ wire, lines, done, failed }: Batch) => ({
    ...wire,
    request_counts: { total: lines.length, completed: done - failed, failed },
  });
  const moveTo = (batch: Batch, status: string) => {
    batch.wire['status'] = status;
    batch.wire[`${status}_at`] = seconds();
    batch.polls = 0;
  };

  const finish = (batch: Batch, status: string, leftover?: { code: string; message: string }) => {
    const output: unknown[] = batch.results.filter((result) => result.response.status_code === 200);
    const errors: unknown[] = batch.results.filter((result) => result.response.status_code !== 200);
    for (const line of leftover ? batch.lines.slice(batch.done) : []) {
      errors.push({ id: deps.id('batch_req_'), custom_id: line.customId, response: null, error: leftover });
    }
    let outputText = jsonl(output);
    const cut = switches.corruptOutputLine;
    if (cut !== undefined && cut <= output.length) {
      const lines = outputText.split('\n');
      lines[cut - 1] = lines[cut - 1]!.slice(0, 40);
      outputText = lines.join('\n');
    }
    if (output.length > 0) batch.wire['output_file_id'] = deps.addFile('output.jsonl', outputText);
    if (errors.length > 0) batch.wire['error_file_id'] = deps.addFile('errors.jsonl', jsonl(errors));
    moveTo(batch, status);
  };

  const runLines = async (batch: Batch, count: number) => {
    for (const line of batch.lines.slice(batch.done, batch.done + count)) {
      const scripted = switches.failLines?.[line.customId];
      const answer = scripted ? deps.error(scripted) : await deps.answerLine(line.body);
      const response = { status_code: answer.status, request_id: deps.id('req_'), body: answer.body };
      batch.results.push({ id: deps.id('batch_req_'), custom_id: line.customId, response, error: null });
      batch.done += 1;
      if (answer.status !== 200) batch.failed += 1;
    }
  };

  const advance = async (batch: Batch) => {
    batch.polls += 1;
    const status = batch.wire['status'];
    if (status === 'validating' && batch.polls >= pollsPerStatus) {
      const content = deps.fileContent(batch.wire['input_file_id'] as string);
      const { lines, problems } = validateBatchInput(content, batch.wire['endpoint'] as string);
      if (problems.length > 0) {
        batch.wire['errors'] = {
          object: 'list',
          data: problems.map((problem) => ({ ...problem, param: null })),
        };
        return finish(batch, 'failed');
      }
      batch.lines = lines;
      moveTo(batch, 'in_progress');
    } else if (status === 'in_progress') {
      await runLines(batch, switches.linesPerPoll ?? batch.lines.length);
      const expireAfter = switches.expireAfterLines;
      if (expireAfter !== undefined && batch.done >= expireAfter && batch.done < batch.lines.length) {
        const message = 'This request could not be executed before the completion window expired.';
        return finish(batch, 'expired', { code: 'batch_expired', message });
      }
      if (batch.done === batch.lines.length) moveTo(batch, 'finalizing');
    } else if (status === 'finalizing' && batch.polls >= pollsPerStatus) {
      finish(batch, 'completed');
    } else if (status === 'cancelling') {
      finish(batch, 'cancelled', { code: 'batch_cancelled', message: 'This request was cancelled.' });
    }
    return undefined;
  };

  const missing = (batchId: string) =>
    deps.error({ status: 404, message: `No such batch: ${batchId}`, code: 'not_found' });

  return {
    create(fields: Readonly<Record<string, unknown>>): FakeBatchAnswer {
      const batchId = deps.id('batch_');
      const created = seconds();
      const wire = {
        ...{ id: batchId, object: 'batch', errors: null, ...fields, status: 'validating' },
        ...{ created_at: created, expires_at: created + 86_400, output_file_id: null, error_file_id: null },
      };
      const batch: Batch = { wire, lines: [], results: [], done: 0, failed: 0, polls: 0 };
      batches.set(batchId, batch);
      return { status: 200, body: view(batch) };
    },
    async retrieve(batchId: string): Promise<FakeBatchAnswer> {
      const batch = batches.get(batchId);
      if (batch === undefined) return missing(batchId);
      await advance(batch);
      return { status: 200, body: view(batch) };
    },
    cancel(batchId: string): FakeBatchAnswer {
      const batch = batches.get(batchId);
      if (batch === undefined) return missing(batchId);
      const status = String(batch.wire['status']);
      if (!['validating', 'in_progress', 'finalizing'].includes(status)) {
        return deps.error({
          status: 409,
          type: 'invalid_request_error',
          message: `Cannot cancel a batch with status '${status}'.`,
        });
      }
      moveTo(batch, 'cancelling');
      return { status: 200, body: view(batch) };
    },
  };
}
