import { describe, expect, it } from 'vitest';
import { withoutNullUsage } from './sse-frames.js';

describe('withoutNullUsage', () => {
  it('cuts the top-level usage member from compact JSON, the rest byte for byte', () => {
    const chunk = {
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { content: 'Hi "usage":null, there' }, finish_reason: null }],
      usage: null,
    };
    const { usage: _usage, ...rest } = chunk;
    expect(withoutNullUsage(JSON.stringify(chunk))).toBe(JSON.stringify(rest));
    const first = { usage: null, id: 'chatcmpl-1', choices: [] };
    expect(withoutNullUsage(JSON.stringify(first))).toBe('{"id":"chatcmpl-1","choices":[]}');
  });

  it('declines what it cannot cut for sure: absent, repeated, spaced, or the only member', () => {
    expect(withoutNullUsage('{"id":"x"}')).toBeUndefined();
    expect(withoutNullUsage('{"a":{"usage":null},"usage":null}')).toBeUndefined();
    expect(withoutNullUsage('{"id": "x", "usage": null}')).toBeUndefined();
    expect(withoutNullUsage('{"usage":null}')).toBeUndefined();
  });
});
