/**
 * Fake LLM provider servers for tests: real HTTP on 127.0.0.1, each speaking its provider's protocol
 * (streaming included), scriptable per request (text, tool calls, usage, model, latency, errors, dropped
 * connections) and recording every request they receive.
 */
export {
  type FakeAnthropicServer,
  type FakeAnthropicServerOptions,
  startFakeAnthropicServer,
} from './fake-anthropic-server.js';
export {
  type FakeGeminiServer,
  type FakeGeminiServerOptions,
  startFakeGeminiServer,
} from './fake-gemini-server.js';
export {
  type FakeOpenAIServer,
  type FakeOpenAIServerOptions,
  startFakeOpenAIServer,
} from './fake-openai-server.js';
export type {
  FakeError,
  FakeLatency,
  FakeReply,
  FakeReplySource,
  FakeToolCall,
  RecordedRequest,
} from './fake-reply.js';
export type { FakeServer, FakeServerOptions } from './fake-server.js';
export { deterministicVector } from './openai-embeddings-route.js';
