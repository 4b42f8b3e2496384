/**
 * The provider port and its HTTP adapters: OpenAI-compatible APIs (OpenAI, Azure, Ollama, vLLM, llama.cpp,
 * Groq, Together, OpenRouter, DeepSeek, Mistral), Anthropic and Gemini, with one retry policy, one error mapping
 * and one rate-limit header reader.
 */

export {
  type AnthropicChatModelOptions,
  createAnthropicChatModel,
} from './anthropic-chat-model.js';
export { defaultAnthropicMaxTokens } from './anthropic-messages-wire.js';
export * from './chat-model.js';
export { createGeminiChatModel, type GeminiChatModelOptions } from './gemini-chat-model.js';
export type { HttpOptions } from './http-exchange.js';
export { createOpenAICompatibleChatModel } from './openai-compatible-chat-model.js';
export { createOpenAICompatibleEmbeddingModel } from './openai-compatible-embedding-model.js';
export type { OpenAICompatibleOptions } from './openai-compatible-options.js';
export {
  azureOpenAIBaseUrl,
  defaultAzureApiVersion,
  type OpenAICompatiblePreset,
  type OpenAICompatibleProvider,
  openAICompatiblePreset,
  openAICompatiblePresets,
} from './openai-compatible-presets.js';
export { rateLimitFromHeaders } from './rate-limit-headers.js';
export {
  abortableSleep,
  createRetryPolicy,
  type RetryPolicy,
  type RetryPolicyOptions,
  type Sleep,
  withRetries,
} from './retry-policy.js';

// The offline simulator (`sim/...` models).
export {
  createSimulatorChatModel,
  createSimulatorEmbeddingModel,
  type KnowledgeEntry,
  type SimulatorModel,
  type SimulatorOptions,
  type SimulatorProfile,
  simulatorModels,
  simulatorProfiles,
} from './simulator/index.js';
