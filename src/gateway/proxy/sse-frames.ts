/** One server-sent event as received: its text (ending in a blank line) and its parsed fields. */
export type SseFrame = {
  /** The event's lines and the blank line after them, `\n`-separated. */
  readonly raw: string;
  readonly event: string | undefined;
  /** The data lines joined with `\n`; empty for comment-only frames. */
  readonly data: string;
};

/**
 * Splits a byte stream of server-sent events into frames as they complete (UTF-8 safe across chunk edges;
 * `\r\n` read as `\n`). `rest` is what remains after the last complete frame when the stream ends.
 */
export function createSseSplitter(): {
  push(chunk: Uint8Array): SseFrame[];
  rest(): string;
} {
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    push(chunk) {
      buffer += decoder.decode(chunk, { stream: true });
      if (buffer.includes('\r')) buffer = buffer.replace(/\r\n?/g, '\n');
      const frames: SseFrame[] = [];
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const raw = buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        frames.push(parseFrame(raw));
        end = buffer.indexOf('\n\n');
      }
      return frames;
    },
    rest: () => buffer + decoder.decode(),
  };
}

function parseFrame(raw: string): SseFrame {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of raw.split('\n')) {
    if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    else if (line.startsWith('event:')) event = line.slice(6).trim();
  }
  return { raw, event, data: data.join('\n') };
}

/** A frame's text for `data` (and `event`), as written to the client. */
export function sseFrame(data: string, event?: string): string {
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${data}\n\n`;
}

const nullUsage = '"usage":null';

/**
 * An event's JSON text without its top-level `"usage":null` member, cut from the text itself: the cheap way to
 * hide the usage frugal asked for on a client's behalf (every chunk of such a stream carries it), instead of a
 * parse, a copy without the field and a re-serialisation on every chunk. Undefined (re-serialise instead) unless
 * the member appears exactly once, in the compact form every provider sends, next to a comma. It cannot match
 * inside a string (quotes are escaped there); a nested member written compactly beside a top-level one written
 * with spaces would be cut instead, which is why callers use it only when the parsed event's usage is null.
 */
export function withoutNullUsage(json: string): string | undefined {
  const at = json.indexOf(nullUsage);
  if (at < 0 || json.includes(nullUsage, at + 1)) return undefined;
  const end = at + nullUsage.length;
  if (json[at - 1] === ',') return json.slice(0, at - 1) + json.slice(end);
  if (json[end] === ',') return json.slice(0, at) + json.slice(end + 1);
  return undefined;
}
