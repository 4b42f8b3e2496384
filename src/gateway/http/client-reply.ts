import { type ServerResponse, validateHeaderValue } from 'node:http';
import { formatUsd, parseUsd } from '../../core/money.js';
import type { Span } from '../../core/spans/span.js';
import type { JournalGate } from '../../tracing/span-writer.js';
import { Cancellation } from '../upstream/upstream-client.js';

/** For replies of a process whose spans are journaled as they end: nothing to wait for. */
export const ungated: JournalGate = { holding: () => false, whenJournaled: (callback) => callback() };

/**
 * The client's side of one request: JSON or an event stream, written once. `gone` aborts when the client
 * disconnects before the reply was finished (the upstream call is then aborted through it). Whatever may tell
 * the client what its call cost (a JSON reply, stream text, the end of a stream) leaves only once the spans
 * recorded so far are in the journal (`gate`: the gateway groups journal writes per event-loop turn).
 */
export class ClientReply {
  #started = false;
  readonly #gone = new Cancellation();
  readonly #base: Record<string, string>;
  /** What earlier calls answering this request cost (a cascade's earlier stages), added to what it reports. */
  #earlier: { total: bigint; unpriced: boolean } | undefined;

  /**
   * `requestId`: the request's id, sent as `x-frugal-request-id`; it is also the trace id of the request's spans
   * (one per attempt), so `store.getTrace(requestId)` finds what the request cost.
   */
  constructor(
    readonly response: ServerResponse,
    readonly requestId: string,
    private readonly gate: JournalGate = ungated,
  ) {
    this.#base = { 'x-frugal-request-id': requestId };
    response.on('close', () => {
      if (!response.writableFinished) this.#gone.abort(new ClientGoneError());
    });
  }

  /** Aborted (with a ClientGoneError) when the client goes away before the reply ends. */
  get cancel(): Cancellation {
    return this.#gone;
  }

  /** True once the reply is committed (JSON sent or held for the journal, or a stream started): no retry now. */
  get started(): boolean {
    return this.#started;
  }

  /** Adds a header to every reply of this request (`x-frugal-cache`, `x-frugal-deployment`, ...). */
  header(name: string, value: string): void {
    this.#base[name] = value;
  }

  /**
   * Counts an earlier call's cost (`x-frugal-cost-usd`, undefined when it had no price) into the cost this reply
   * reports — the header of a JSON reply, the cost comment of a stream — so a cascade reports all it spent.
   */
  addEarlierCost(costUsd: string | undefined): void {
    const earlier = this.#earlier ?? { total: 0n, unpriced: false };
    this.#earlier =
      costUsd === undefined
        ? { ...earlier, unpriced: true }
        : { ...earlier, total: earlier.total + parseUsd(costUsd) };
  }

  /**
   * What the earlier calls cost, as the headers an error reply carries when the last call failed (those calls
   * were paid for all the same); none when there were none.
   */
  earlierCostHeaders(): Record<string, string> {
    const earlier = this.#earlier;
    if (earlier === undefined) return {};
    return earlier.unpriced
      ? { 'x-frugal-cost-status': 'unpriced: an earlier call of this request had no price' }
      : { 'x-frugal-cost-usd': formatUsd(earlier.total) };
  }

  /** The cost headers with the earlier calls' cost added. */
  #withEarlier(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    const earlier = this.#earlier;
    const cost = headers['x-frugal-cost-usd'];
    if (earlier === undefined || cost === undefined) return headers;
    // In place, so a stream's cost comment keeps its order.
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) =>
        name !== 'x-frugal-cost-usd'
          ? [name, value]
          : earlier.unpriced
            ? ['x-frugal-cost-status', 'unpriced: an earlier call of this request had no price']
            : [name, formatUsd(earlier.total + parseUsd(value))],
      ),
    );
  }

  json(status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
    if (this.#started) return;
    const head = checkedHeaders({
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...this.#base,
      ...this.#withEarlier(headers),
    });
    this.#started = true;
    const send = () => {
      this.response.writeHead(status, head);
      this.response.end(text);
    };
    this.gate.whenJournaled(send);
  }

  /** Starts an event stream; its headers leave with the first text written (callers write at once). */
  startStream(headers: Readonly<Record<string, string>> = {}): void {
    if (this.#started) return;
    this.response.writeHead(
      200,
      checkedHeaders({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        ...this.#base,
        ...headers,
      }),
    );
    this.#started = true;
  }

  /** Writes stream text, waiting while the client's socket is full; resolves at once when the client is gone. */
  async write(text: string): Promise<void> {
    if (this.gate.holding()) await new Promise<void>((resolve) => this.gate.whenJournaled(resolve));
    if (this.#gone.aborted || this.response.writableEnded) return;
    if (this.#earlier !== undefined && text.startsWith(': x-frugal-')) text = this.#earlierInComment(text);
    if (this.response.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }

  /** A cost comment (`costComment`) with the earlier calls' cost added. */
  #earlierInComment(comment: string): string {
    // `: name=value name=value` where a value may hold spaces (an unpriced reason) but never ` x-frugal-`.
    const headers = Object.fromEntries(
      [
        ...comment
          .slice(2)
          .trim()
          .matchAll(/(x-frugal-[a-z-]+)=(.*?)(?= x-frugal-[a-z-]+=|$)/g),
      ].map(([, name, value]) => [name!, value!]),
    );
    const parts = Object.entries(this.#withEarlier(headers)).map(([name, value]) => `${name}=${value}`);
    return `: ${parts.join(' ')}\n\n`;
  }

  end(text?: string): void {
    const send = () => {
      if (!this.response.writableEnded) this.response.end(text);
    };
    this.gate.whenJournaled(send);
  }

  /**
   * Ends a stream with its cost comment (`costComment`, earlier calls' cost added as `write` adds it) and its last
   * text, in one socket write, once the spans recorded so far are journaled; `before`, stream text not yet written,
   * leaves in that write ahead of the comment.
   */
  endStream(comment: string, last = '', before = ''): void {
    const send = () => {
      if (this.response.writableEnded) return;
      const shown = this.#earlier !== undefined && comment !== '' ? this.#earlierInComment(comment) : comment;
      this.response.end(before + shown + last);
    };
    this.gate.whenJournaled(send);
  }
}

/**
 * Headers checked before any is set: node's writeHead sets them one by one and throws at the first it refuses
 * (a stray character), leaving the rest half-set. Checked first, a refusal leaves the reply unstarted and
 * untouched, so the gateway can still answer with a proper error.
 */
function checkedHeaders<T extends Record<string, string | number>>(headers: T): T {
  for (const name in headers) validateHeaderValue(name, String(headers[name]));
  return headers;
}

/** The reason `ClientReply.cancel` aborts with. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client disconnected before the reply was complete');
  }
}

/** The accounting headers of a finished call: its exact cost (or why there is none) and whether estimated. */
export function costHeaders(span: Span): Record<string, string> {
  const headers: Record<string, string> = {};
  if (span.cost?.status === 'priced') headers['x-frugal-cost-usd'] = formatUsd(span.cost.total);
  else if (span.cost?.status === 'unpriced')
    headers['x-frugal-cost-status'] = `unpriced: ${span.cost.reason}`;
  if (span.usageEstimated) headers['x-frugal-usage-estimated'] = 'true';
  if (span.simulated) headers['x-frugal-simulated'] = 'true';
  return headers;
}

/** The same, as an SSE comment line sent before a stream's terminal event (clients ignore comments). */
export function costComment(span: Span): string {
  const parts = Object.entries(costHeaders(span)).map(([name, value]) => `${name}=${value}`);
  return parts.length === 0 ? '' : `: ${parts.join(' ')}\n\n`;
}
