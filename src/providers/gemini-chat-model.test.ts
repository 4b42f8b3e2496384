import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGeminiServer, startFakeGeminiServer } from '../testing/fake-gemini-server.js';
import type { GenerateRequest, GenerateResult } from './chat-model.js';
import { createGeminiChatModel } from './gemini-chat-model.js';

let server: FakeGeminiServer;
beforeAll(async () => {
  server = await startFakeGeminiServer({ apiKey: 'AIza-test' });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.setReply({});
});

const request: GenerateRequest = {
  messages: [
    { role: 'system', content: 'Be terse.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello.' },
    { role: 'user', content: 'Again' },
  ],
};

const model = (extra: { maxRetries?: number; sleep?: (ms: number) => Promise<void> } = {}) =>
  createGeminiChatModel({
    model: 'gemini-2.5-flash',
    baseUrl: server.url,
    apiKey: 'AIza-test',
    maxRetries: extra.maxRetries,
    retry: { sleep: extra.sleep },
  });

async function streamed(): Promise<GenerateResult> {
  for await (const part of model().stream(request)) if (part.type === 'finish') return part.result;
  throw new Error('no finish');
}

describe('createGeminiChatModel', () => {
  it('posts contents, systemInstruction and generationConfig with x-goog-api-key', async () => {
    await model().generate({
      ...request,
      maxOutputTokens: 100,
      temperature: 0,
      stop: ['x'],
      seed: 1,
      responseFormat: 'json',
    });
    const [sent] = server.requests;
    expect(sent?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent?.headers['x-goog-api-key']).toBe('AIza-test');
    expect(sent?.body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello.' }] },
        { role: 'user', parts: [{ text: 'Again' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be terse.' }] },
      generationConfig: {
        maxOutputTokens: 100,
        temperature: 0,
        stopSequences: ['x'],
        seed: 1,
        responseMimeType: 'application/json',
      },
    });
  });

  it('streams from streamGenerateContent?alt=sse with the usage of the unstreamed answer', async () => {
    const usage = { input: 50, cachedInput: 0, output: 70, reasoning: 30 };
    server.setReply({ usage, model: 'gemini-2.5-flash-001' });
    const plain = await model().generate(request);
    const result = await streamed();
    expect(server.requests[1]?.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(server.requests[1]?.query).toEqual({ alt: 'sse' });
    expect(plain.usage).toEqual(usage);
    expect(result.usage).toEqual(usage);
    expect(result.responseModel).toBe('gemini-2.5-flash-001');
  });

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content-filter'],
    ['FINISH_REASON_UNSPECIFIED', 'other'],
  ])('maps finishReason %s to %s', async (wire, expected) => {
    server.setReply({ finishReason: wire });
    expect((await model().generate(request)).finishReason).toBe(expected);
  });

  it('waits the RetryInfo delay of a 429 when there is no retry header', async () => {
    server.enqueue({ error: { status: 429, retryAfterSeconds: 2, headers: { 'retry-after': '' } } });
    const waits: number[] = [];
    const result = await model({ sleep: async (ms) => void waits.push(ms) }).generate(request);
    expect(result.text).toBe('Hello from the fake server.');
    expect(waits).toEqual([2000]);
  });
});
