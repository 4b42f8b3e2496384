import { describe, expect, it } from 'vitest';
import { cacheDirective, type ExactCacheKeyInput, exactCacheKey } from './cache-key.js';

const body = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] },
  ],
  tools: [{ type: 'function', function: { name: 'add', parameters: { type: 'object', properties: {} } } }],
  temperature: 0.2,
  max_tokens: 64,
};
const request: ExactCacheKeyInput = { route: 'chat', model: 'gpt-4o-mini', body };
const key = exactCacheKey(request);
const keyWith = (changes: Record<string, unknown>, input: Partial<ExactCacheKeyInput> = {}) =>
  exactCacheKey({ ...request, ...input, body: { ...body, ...changes } });

/** Rebuilds every object with its keys in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([name, inner]) => [name, reversed(inner)]),
  );
}

describe('exactCacheKey', () => {
  it('is v1: and a SHA-256 in hex', () => {
    expect(key).toMatch(/^v1:[0-9a-f]{64}$/);
  });

  it('does not depend on the order of keys, at any depth', () => {
    expect(JSON.stringify(reversed(body))).not.toBe(JSON.stringify(body));
    expect(exactCacheKey({ ...request, body: reversed(body) as Record<string, unknown> })).toBe(key);
  });

  it.each<[string, Record<string, unknown>, Partial<ExactCacheKeyInput>?]>([
    ['another model asked for (LiteLLM #3199)', {}, { model: 'gpt-4o' }],
    ['another route', {}, { route: 'messages' }],
    ['another scope', {}, { scope: 'tenant-a' }],
    ['another temperature', { temperature: 0.3 }],
    ['no temperature', { temperature: undefined }],
    ['another max_tokens', { max_tokens: 65 }],
    ['a seed', { seed: 7 }],
    ['top_p', { top_p: 0.9 }],
    ['n', { n: 2 }],
    ['stop', { stop: ['\n'] }],
    ['logit_bias', { logit_bias: { '50256': -100 } }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['tool_choice', { tool_choice: 'required' }],
    ['other tools', { tools: [] }],
    ['a system prompt (Anthropic)', { system: 'Be brief.' }],
    ['another message', { messages: [{ role: 'user', content: 'What is 2+3?' }] }],
    ['the messages in another order', { messages: [...body.messages].reverse() }],
    ['an unknown field', { reasoning_effort: 'low' }],
    ['streaming', { stream: true }],
    ['streaming with usage', { stream: true, stream_options: { include_usage: true } }],
  ])('changes with %s', (_, changes, input) => {
    expect(keyWith(changes, input)).not.toBe(key);
  });

  it.each<[string, Record<string, unknown>]>([
    ['user', { user: 'alice' }],
    ['metadata', { metadata: { user_id: 'alice', trace: '42' } }],
    ['store', { store: true }],
    ['service_tier', { service_tier: 'flex' }],
    ['stream: false (the default)', { stream: false }],
    ['stream_options without include_usage', { stream_options: { include_usage: false } }],
    ['an undefined field', { seed: undefined }],
  ])('does not change with %s', (_, changes) => {
    expect(keyWith(changes)).toBe(key);
  });

  it('tells apart what was asked for (the body model) as well as what answers (the model argument)', () => {
    expect(keyWith({ model: 'frugal/auto' })).not.toBe(key);
  });

  it('tells streams with and without a usage chunk apart, but not by other stream options', () => {
    const streamed = keyWith({ stream: true });
    expect(keyWith({ stream: true, stream_options: { include_obfuscation: false } })).toBe(streamed);
    expect(keyWith({ stream: true, stream_options: { include_usage: true } })).not.toBe(streamed);
    expect(
      keyWith({ stream: true, stream_options: { include_usage: true, include_obfuscation: false } }),
    ).toBe(keyWith({ stream: true, stream_options: { include_usage: true } }));
  });

  it('tells values of different JSON types apart', () => {
    expect(keyWith({ stop: '1' })).not.toBe(keyWith({ stop: 1 }));
    expect(keyWith({ stop: null })).not.toBe(keyWith({ stop: 'null' }));
    expect(keyWith({ stop: [] })).not.toBe(keyWith({ stop: {} }));
  });
});

describe('cacheDirective', () => {
  it.each<[string, Record<string, string | string[] | undefined>, { read: boolean; write: boolean }]>([
    ['no header', {}, { read: true, write: true }],
    ['no-cache', { 'cache-control': 'no-cache' }, { read: false, write: true }],
    ['no-store', { 'cache-control': 'no-store' }, { read: false, write: false }],
    ['both', { 'cache-control': 'no-cache, no-store' }, { read: false, write: false }],
    ['upper case, spaces', { 'cache-control': ' No-Cache ,MAX-AGE=0' }, { read: false, write: true }],
    ['several header lines', { 'cache-control': ['max-age=60', 'NO-STORE'] }, { read: false, write: false }],
    ['unrelated directives', { 'cache-control': 'max-age=0, private' }, { read: true, write: true }],
    ['a header name in capitals', { 'Cache-Control': 'no-store' }, { read: false, write: false }],
    ['x-frugal-cache: off', { 'x-frugal-cache': 'off' }, { read: false, write: false }],
    ['x-frugal-cache: OFF', { 'X-Frugal-Cache': ' OFF ' }, { read: false, write: false }],
    ['x-frugal-cache: on', { 'x-frugal-cache': 'on' }, { read: true, write: true }],
    ['an undefined header', { 'cache-control': undefined }, { read: true, write: true }],
  ])('%s', (_, headers, expected) => {
    expect(cacheDirective(headers)).toEqual(expected);
  });
});
