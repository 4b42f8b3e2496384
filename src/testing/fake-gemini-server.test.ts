import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { usageFromGemini } from '../core/usage-from-wire.js';
import { type FakeGeminiServer, startFakeGeminiServer } from './fake-gemini-server.js';

let server: FakeGeminiServer;

beforeAll(async () => {
  server = await startFakeGeminiServer({ apiKey: 'g-key' });
});
beforeEach(() => {
  server.reset();
  server.setReply({});
});
afterAll(() => server.close());

/** The parts of a generateContent response these tests read. */
type GenerateResponse = {
  candidates: { content: { parts: unknown[] }; finishReason?: string }[];
  usageMetadata: Record<string, number>;
  modelVersion: string;
};

const body = { contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }] };
const usage = { input: 50, cachedInput: 20, output: 30, reasoning: 10 };

function post(path: string, payload: unknown = body, key = 'g-key') {
  return fetch(`${server.baseURL}/models/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
    body: JSON.stringify(payload),
  });
}

/** The `data:` payloads of an SSE body. */
function sseData(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => JSON.parse(event.slice('data: '.length)));
}

describe('fake Gemini API, driven by fetch', () => {
  it('answers generateContent with candidates and usageMetadata that converts back to the scripted usage', async () => {
    server.setReply({ text: 'Hello!', usage, model: 'gemini-2.5-flash-001' });
    const response = await post('gemini-2.5-flash:generateContent');
    expect(response.status).toBe(200);
    const json = (await response.json()) as GenerateResponse;
    expect(json.candidates[0]).toEqual({
      content: { parts: [{ text: 'Hello!' }], role: 'model' },
      finishReason: 'STOP',
      index: 0,
    });
    expect(json.modelVersion).toBe('gemini-2.5-flash-001');
    expect(json.usageMetadata).toMatchObject({
      promptTokenCount: 50,
      candidatesTokenCount: 20,
      thoughtsTokenCount: 10,
      cachedContentTokenCount: 20,
      totalTokenCount: 80,
    });
    expect(usageFromGemini(json.usageMetadata)).toEqual(usage);
    expect(server.requests[0]).toMatchObject({
      path: '/v1beta/models/gemini-2.5-flash:generateContent',
      body,
    });
  });

  it('streams SSE chunks under alt=sse, the last one with the finish reason and full usage', async () => {
    server.setReply({ text: 'One two three', usage });
    const response = await post('gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const chunks = sseData(await response.text()) as {
      candidates: { content: { parts: { text: string }[] }; finishReason?: string }[];
      usageMetadata: Record<string, number>;
    }[];
    expect(chunks.map((chunk) => chunk.candidates[0]?.content.parts[0]?.text).join('')).toBe('One two three');
    expect(chunks.map((chunk) => chunk.candidates[0]?.finishReason)).toEqual([undefined, undefined, 'STOP']);
    expect(chunks[0]?.usageMetadata).toEqual({ promptTokenCount: 50, totalTokenCount: 50 });
    expect(usageFromGemini(chunks.at(-1)!.usageMetadata)).toEqual(usage);
  });

  it('streams one JSON array without alt=sse', async () => {
    server.setReply({ text: 'One two' });
    const response = await post('gemini-2.5-flash:streamGenerateContent');
    const array = (await response.json()) as GenerateResponse[];
    expect(array).toHaveLength(2);
    expect(array[1]?.candidates[0]?.finishReason).toBe('STOP');
  });

  it('answers function calls as functionCall parts', async () => {
    server.setReply({ text: '', toolCalls: [{ name: 'lookup', arguments: { city: 'Paris' } }] });
    const json = (await (await post('gemini-2.5-flash:generateContent')).json()) as GenerateResponse;
    expect(json.candidates[0]?.content.parts).toEqual([
      { functionCall: { name: 'lookup', args: { city: 'Paris' } } },
    ]);
  });

  it('fails with Google-shaped errors, checks the key and counts tokens', async () => {
    server.enqueue({ error: { status: 429, retryAfterSeconds: 2 } });
    const limited = await post('gemini-2.5-flash:generateContent');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }],
      },
    });
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await post('gemini-2.5-flash:generateContent', body, 'wrong')).status).toBe(400);
    server.setReply({ usage: { input: 9 } });
    const byQuery = await fetch(`${server.baseURL}/models/gemini-2.5-flash:countTokens?key=g-key`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(await byQuery.json()).toEqual({ totalTokens: 9 });
  });

  it('drops the connection mid-stream', async () => {
    server.setReply({ text: 'a b c d', disconnectAfterChunks: 2 });
    const response = await post('gemini-2.5-flash:streamGenerateContent?alt=sse');
    await expect(response.text()).rejects.toThrow();
  });
});
