import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeReply } from './fake-reply.js';

/** How events are framed: Server-Sent Events, or the elements of one JSON array (Gemini without `alt=sse`). */
export type EventFraming = 'sse' | 'json-array';

/** One event: its JSON data and, for SSE, its optional `event:` name. */
export type StreamEvent = { readonly data: unknown; readonly event?: string | undefined };

/** Writes a streamed response event by event, applying a reply's chunk delay, stream error and disconnect. */
export interface EventStreamWriter {
  /** Sends one event; false once the stream is cut (scripted error or disconnect, or the client went away). */
  send(event: StreamEvent): Promise<boolean>;
  /** Sends a literal SSE `data:` line (e.g. `[DONE]`), counted like an event. */
  sendData(text: string): Promise<boolean>;
  /** Ends the response (if it is still open). */
  end(): void;
}

/** What the writer needs from the provider: how its in-stream error event looks, if it has one. */
export type EventStreamOptions = {
  readonly framing?: EventFraming | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** The provider's error event for `reply.streamError` (the SSE text of one whole event). */
  readonly errorEvent?: ((reply: FakeReply) => StreamEvent) | undefined;
};

function frameSse(event: StreamEvent): string {
  const name = event.event === undefined ? '' : `event: ${event.event}\n`;
  return `${name}data: ${typeof event.data === 'string' ? event.data : JSON.stringify(event.data)}\n\n`;
}

/**
 * Starts a streamed response (status 200, headers flushed at once) and returns its writer. Every event after
 * the first waits `reply.latency.chunkDelayMs`; `reply.streamError` is sent in place of event number
 * `afterChunks` and ends the stream; `reply.disconnectAfterChunks` destroys the socket after that many events.
 */
export function startEventStream(
  response: ServerResponse,
  reply: FakeReply,
  options: EventStreamOptions = {},
): EventStreamWriter {
  const framing = options.framing ?? 'sse';
  response.writeHead(200, {
    'content-type':
      framing === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/json; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...options.headers,
    ...reply.headers,
  });
  response.flushHeaders();
  let sent = 0;
  let cut = false;
  const open = () => !cut && !response.destroyed && !response.writableEnded;
  const disconnectIfDue = async () => {
    if (reply.disconnectAfterChunks === undefined || sent < reply.disconnectAfterChunks) return;
    cut = true;
    const socket = response.socket;
    // Let what was written reach the client first: the cut comes after the last event, not instead of it.
    if (socket) await new Promise<void>((resolve) => socket.write('', () => resolve()));
    socket?.destroy();
  };
  const write = (text: string) => {
    if (framing === 'json-array') response.write(`${sent === 0 ? '[' : ',\r\n'}${text}`);
    else response.write(text);
    sent += 1;
  };
  const headersCut = disconnectIfDue();
  const sendText = async (sse: string, json: string): Promise<boolean> => {
    await headersCut;
    if (!open()) return false;
    const delay = reply.latency?.chunkDelayMs ?? 0;
    if (sent > 0 && delay > 0) await sleep(delay);
    if (!open()) return false;
    if (reply.streamError !== undefined && sent === reply.streamError.afterChunks && options.errorEvent) {
      const errorEvent = options.errorEvent(reply);
      write(framing === 'sse' ? frameSse(errorEvent) : JSON.stringify(errorEvent.data));
      cut = true;
      if (framing === 'json-array') response.write(']');
      response.end();
      return false;
    }
    write(framing === 'sse' ? sse : json);
    await disconnectIfDue();
    return open();
  };
  return {
    send: (event) => sendText(frameSse(event), JSON.stringify(event.data)),
    sendData: (text) => sendText(`data: ${text}\n\n`, text),
    end() {
      if (!open()) return;
      if (framing === 'json-array') response.write(sent === 0 ? '[]' : ']');
      response.end();
    },
  };
}
