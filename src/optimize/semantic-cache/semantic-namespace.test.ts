import { describe, expect, it } from 'vitest';
import { chatSemanticKey, semanticNamespace } from './semantic-namespace.js';

const base = { model: 'gpt-4o-mini', system: 'Be brief.', parameters: { temperature: 0, stop: ['\n'] } };

describe('semanticNamespace', () => {
  it('is the same for the same parts whatever the key order, and differs when any part does', () => {
    const key = semanticNamespace('local/hash-v1-384', base);
    expect(key).toMatch(/^sc1:[0-9a-f]{64}$/);
    expect(
      semanticNamespace('local/hash-v1-384', {
        parameters: { stop: ['\n'], temperature: 0 },
        system: 'Be brief.',
        model: 'gpt-4o-mini',
      }),
    ).toBe(key);
    expect(semanticNamespace('local/hash-v1-384', { ...base, context: [] })).toBe(key);
    const others = [
      semanticNamespace('local/hash-v1-256', base),
      semanticNamespace('local/hash-v1-384', { ...base, model: 'gpt-4o' }),
      semanticNamespace('local/hash-v1-384', { ...base, system: 'Be brief!' }),
      semanticNamespace('local/hash-v1-384', { ...base, parameters: { temperature: 0 } }),
      semanticNamespace('local/hash-v1-384', { ...base, context: [{ role: 'user', content: 'hi' }] }),
      semanticNamespace('local/hash-v1-384', { ...base, scope: 'tenant-a' }),
    ];
    expect(new Set([key, ...others]).size).toBe(7);
  });
});

describe('chatSemanticKey', () => {
  it('embeds the last user turn; system turns, earlier turns and parameters form the namespace', () => {
    const key = chatSemanticKey(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
          { role: 'user', content: 'What is HNSW?' },
        ],
        temperature: 0.2,
        maxOutputTokens: 100,
        signal: AbortSignal.timeout(1_000),
      },
      'gpt-4o-mini',
    );
    expect(key).toEqual({
      text: 'What is HNSW?',
      parts: {
        model: 'gpt-4o-mini',
        system: 'Be brief.',
        parameters: { temperature: 0.2, maxOutputTokens: 100 },
        context: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
        ],
      },
    });
  });

  it('has nothing to look up when the conversation does not end with the user', () => {
    expect(chatSemanticKey({ messages: [{ role: 'assistant', content: 'Hi' }] }, 'm')).toBeUndefined();
    expect(chatSemanticKey({ messages: [] }, 'm')).toBeUndefined();
  });
});
