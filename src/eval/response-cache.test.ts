import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../providers/chat-model.js';
import { createOpenAICompatibleChatModel } from '../providers/openai-compatible-chat-model.js';
import { createSimulatorChatModel } from '../providers/simulator/index.js';
import { fileResponseCache, responseCacheKey } from './response-cache.js';

const request: GenerateRequest = { messages: [{ role: 'user', content: 'What is a database index?' }] };
const openai = (baseUrl: string) =>
  createOpenAICompatibleChatModel({ model: 'gpt-4o-mini', baseUrl, apiKey: 'k' });

describe('responseCacheKey', () => {
  it('is the same for the same request, and differs by every part of it', () => {
    const model = openai('http://127.0.0.1:1/v1');
    const key = responseCacheKey(model, request, 0);
    expect(responseCacheKey(model, { ...request, signal: new AbortController().signal }, 0)).toBe(key);
    for (const other of [
      responseCacheKey(model, request, 1),
      responseCacheKey(model, { ...request, temperature: 0.5 }, 0),
      responseCacheKey(model, { messages: [{ role: 'user', content: 'What is an index?' }] }, 0),
      // The same model name at another endpoint (a proxy, a self-hosted server) is another model.
      responseCacheKey(openai('http://127.0.0.1:2/v1'), request, 0),
      responseCacheKey(createSimulatorChatModel('sim/small'), request, 0),
    ]) {
      expect(other).not.toBe(key);
    }
  });
});

describe('fileResponseCache', () => {
  it('keeps an answer across instances, and reads a missing or unreadable entry as a miss', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'frugal-cache-'));
    const answer = {
      text: 'An index.',
      usage: { input: 5, output: 3 },
      cost: '12',
      responseModel: 'm',
      simulated: false,
      recordedAt: 1,
    };
    await fileResponseCache(directory).put('ab12', answer);
    expect(await fileResponseCache(directory).get('ab12')).toEqual(answer);
    expect(await fileResponseCache(directory).get('cd34')).toBeUndefined();
  });
});
