import { describe, expect, it } from 'vitest';
import { type ServerSentEvent, serverSentEvents } from './server-sent-events.js';

async function parse(chunks: readonly string[]): Promise<ServerSentEvent[]> {
  const encoder = new TextEncoder();
  async function* body() {
    for (const chunk of chunks) yield encoder.encode(chunk);
  }
  const events: ServerSentEvent[] = [];
  for await (const event of serverSentEvents(body())) events.push(event);
  return events;
}

describe('serverSentEvents', () => {
  it.each([
    ['one event per blank line', ['data: a\n\ndata: b\n\n'], [{ data: 'a' }, { data: 'b' }]],
    ['events split across chunks', ['da', 'ta: {"x"', ':1}\n', '\n'], [{ data: '{"x":1}' }]],
    ['named events', ['event: ping\ndata: {}\n\n'], [{ event: 'ping', data: '{}' }]],
    ['CRLF line ends, split between CR and LF', ['data: a\r', '\n\r\n'], [{ data: 'a' }]],
    ['multi-line data joined', ['data: a\ndata: b\n\n'], [{ data: 'a\nb' }]],
    ['comments and data-less events skipped', [': keep-alive\n\nevent: x\n\n'], []],
    ['a last event without its blank line dropped', ['data: a\n\ndata: cut'], [{ data: 'a' }]],
    ['no space after the colon', ['data:[DONE]\n\n'], [{ data: '[DONE]' }]],
  ])('%s', async (_, chunks, expected) => {
    expect(await parse(chunks)).toEqual(expected);
  });
});
