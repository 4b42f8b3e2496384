import { dirname, resolve } from 'node:path';
import type { DeploymentConfig } from '../../config/parse-gateway-config.js';
import { ConfigError } from '../../core/errors.js';
import { loadOutcomeFile } from '../../optimize/outcomes/load-outcomes.js';
import type { OutcomeSet } from '../../optimize/outcomes/outcome-set.js';
import { createReplayChatModel } from '../../optimize/replay/replay-chat-model.js';
import { createAnthropicChatModel } from '../../providers/anthropic-chat-model.js';
import type { ChatModel, EmbeddingModel } from '../../providers/chat-model.js';
import { endpointUrl } from '../../providers/endpoint-url.js';
import { createGeminiChatModel } from '../../providers/gemini-chat-model.js';
import { createOpenAICompatibleChatModel } from '../../providers/openai-compatible-chat-model.js';
import {
  azureOpenAIBaseUrl,
  defaultAzureApiVersion,
  openAICompatiblePreset,
} from '../../providers/openai-compatible-presets.js';
import { createSimulatorChatModel, createSimulatorEmbeddingModel } from '../../providers/simulator/index.js';
import type { UpstreamTarget } from '../upstream/upstream-client.js';

/** Reads an outcomes file named in a config (relative to that config file): once per path. */
export type OutcomeSetLoader = (path: string, configFile: string) => OutcomeSet;

/** A loader that reads each file once (several replay deployments usually share one). */
export function cachedOutcomeLoader(): OutcomeSetLoader {
  const sets = new Map<string, OutcomeSet>();
  return (path, configFile) => {
    const key = resolve(dirname(configFile), path);
    let set = sets.get(key);
    if (set === undefined) {
      set = loadOutcomeFile(path, configFile);
      sets.set(key, set);
    }
    return set;
  };
}

/** The protocol a client speaks to the gateway, and a deployment's upstream speaks. */
export type Dialect = 'openai' | 'anthropic';

/** The upstream endpoints a route needs. */
export type UpstreamOperation = 'chat' | 'messages' | 'embeddings';

/**
 * A deployment ready to call: its upstream over HTTP in its own protocol (for requests in the same protocol,
 * passed through untouched but for the model name), and a ChatModel for requests in the other protocol and
 * for the simulator. `inFlight` counts its requests in progress (least-busy balancing).
 */
export type Deployment = {
  readonly id: string;
  readonly modelName: string;
  readonly provider: string;
  readonly model: string;
  readonly weight: number;
  readonly timeoutMs: number | undefined;
  readonly rpm: number | undefined;
  readonly tpm: number | undefined;
  readonly simulated: boolean;
  /** The protocol its upstream speaks over HTTP; undefined for the simulator and Gemini (ChatModel only). */
  readonly dialect: Dialect | undefined;
  /** Whether the upstream accepts `stream_options.include_usage` (OpenAI-compatible only). */
  readonly streamUsage: boolean;
  target(operation: UpstreamOperation): UpstreamTarget;
  readonly chatModel: ChatModel | undefined;
  readonly embeddingModel: EmbeddingModel | undefined;
  inFlight: number;
};

const keyEnvOf: Readonly<Record<string, string>> = {
  anthropic: 'ANTHROPIC_API_KEY',
  gemini: 'GEMINI_API_KEY',
  google: 'GEMINI_API_KEY',
  azure: 'AZURE_API_KEY',
};

function splitUrl(url: string): { origin: string; path: string } {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

/**
 * Builds a deployment from its config and the environment (which holds the upstream keys). Throws a ConfigError
 * naming the model_list entry when a provider is unknown or a key variable is unset.
 */
export function createDeployment(
  config: DeploymentConfig,
  env: Readonly<Record<string, string | undefined>>,
  defaultTimeoutMs: number,
  outcomeSets: OutcomeSetLoader = loadOutcomeFile,
): Deployment {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(config.origin.file, `${config.origin.path}${field ? `.${field}` : ''}`, problem);
  };
  const { provider, model } = config;
  const timeoutMs = config.timeoutMs ?? defaultTimeoutMs;
  const base = {
    id: config.id,
    modelName: config.modelName,
    provider,
    model,
    weight: config.weight,
    timeoutMs: config.timeoutMs,
    rpm: config.rpm,
    tpm: config.tpm,
    inFlight: 0,
  };
  if (provider === 'replay') {
    if (config.outcomes === undefined)
      fail('outcomes', 'provider replay needs outcomes: a path to an outcomes file');
    let chatModel: ChatModel | undefined;
    try {
      chatModel = createReplayChatModel(outcomeSets(config.outcomes!, config.origin.file), model);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      fail('model', (error as Error).message);
    }
    const target = (): UpstreamTarget => fail('provider', 'replayed outcomes are answered in-process');
    return {
      ...base,
      simulated: true,
      dialect: undefined,
      streamUsage: true,
      target,
      chatModel,
      embeddingModel: undefined,
    };
  }
  if (provider === 'sim') {
    let chatModel: ChatModel | undefined;
    let embeddingModel: EmbeddingModel | undefined;
    try {
      if (model === 'embed') embeddingModel = createSimulatorEmbeddingModel();
      else chatModel = createSimulatorChatModel(model);
    } catch (error) {
      fail('model', (error as Error).message);
    }
    const target = (): UpstreamTarget =>
      fail('provider', 'the simulator is called in-process, not over HTTP');
    return {
      ...base,
      simulated: true,
      dialect: undefined,
      streamUsage: true,
      target,
      chatModel,
      embeddingModel,
    };
  }
  const envName = config.apiKeyEnv ?? keyEnvOf[provider] ?? openAICompatiblePreset(provider)?.apiKeyEnv;
  const apiKey = envName === undefined ? undefined : env[envName] || undefined;
  const needKey = (): string =>
    apiKey ??
    fail(
      'api_key_env',
      `expected the environment variable ${envName ?? '(api_key_env)'} to hold the API key, found it unset`,
    );
  const http = { timeoutMs, maxRetries: 0, headers: config.headers };
  const secrets = apiKey === undefined ? [] : [apiKey];

  if (provider === 'anthropic') {
    const key = needKey();
    const root = (config.apiBase ?? 'https://api.anthropic.com').replace(/\/v1\/?$/, '');
    const { origin, path } = splitUrl(endpointUrl(root, '/v1/messages'));
    const messages: UpstreamTarget = {
      provider,
      origin,
      path,
      headers: {
        'content-type': 'application/json',
        'x-api-key': key,
        'anthropic-version': '2023-06-01',
        ...config.headers,
      },
      secrets,
    };
    return {
      ...base,
      simulated: false,
      dialect: 'anthropic',
      streamUsage: true,
      target: (operation) =>
        operation === 'messages'
          ? messages
          : fail('provider', `anthropic deployments serve /v1/messages and chat, not ${operation}`),
      chatModel: createAnthropicChatModel({ model, apiKey: key, baseUrl: root, ...http }),
      embeddingModel: undefined,
    };
  }
  if (provider === 'gemini' || provider === 'google') {
    const chatModel = createGeminiChatModel({
      model,
      apiKey: needKey(),
      baseUrl: config.apiBase,
      provider,
      ...http,
    });
    return {
      ...base,
      simulated: false,
      dialect: undefined,
      streamUsage: true,
      target: () => fail('provider', 'gemini deployments are called through their own protocol only'),
      chatModel,
      embeddingModel: undefined,
    };
  }
  const preset = openAICompatiblePreset(provider);
  let root: string;
  let query: Readonly<Record<string, string>> = preset?.query ?? {};
  let keyHeaders: Record<string, string> = {};
  if (provider === 'azure') {
    root = azureOpenAIBaseUrl(
      config.apiBase ?? fail('api_base', 'expected the Azure endpoint, e.g. https://NAME.openai.azure.com'),
      model,
    );
    query = { 'api-version': config.apiVersion ?? defaultAzureApiVersion };
    keyHeaders = { 'api-key': needKey() };
  } else {
    root =
      config.apiBase ??
      preset?.baseUrl ??
      fail(
        'api_base',
        `expected api_base for provider '${provider}' (not a known preset: use sim, openai, anthropic, gemini, azure, ollama, vllm, llamacpp, groq, together, openrouter, deepseek or mistral)`,
      );
    if (apiKey !== undefined) keyHeaders = { authorization: `Bearer ${apiKey}` };
    else if (preset?.requiresKey === true) needKey();
  }
  const headers = { 'content-type': 'application/json', ...keyHeaders, ...config.headers };
  // Built once: a target object per call would cost on every request.
  const targetOf = (where: { origin: string; path: string }): UpstreamTarget => ({
    provider,
    origin: where.origin,
    path: where.path,
    headers,
    secrets,
  });
  const chat = targetOf(splitUrl(endpointUrl(root, '/chat/completions', query)));
  const embeddings = targetOf(splitUrl(endpointUrl(root, '/embeddings', query)));
  return {
    ...base,
    simulated: false,
    dialect: 'openai',
    streamUsage: preset?.streamUsageOption ?? true,
    target: (operation) => {
      if (operation === 'messages') {
        return fail('provider', 'OpenAI-compatible deployments do not speak the Anthropic protocol');
      }
      return operation === 'chat' ? chat : embeddings;
    },
    chatModel: createOpenAICompatibleChatModel({
      provider,
      model,
      baseUrl: root,
      apiKey,
      ...(provider === 'azure' ? { query } : {}),
      ...http,
    }),
    embeddingModel: undefined,
  };
}
