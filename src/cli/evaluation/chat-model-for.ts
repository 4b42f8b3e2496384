import type { EvalCandidateConfig, ProviderConfig } from '../../config/parse-eval-config.js';
import { ConfigError } from '../../core/errors.js';
import { createCascadeChatModel } from '../../optimize/cascade/cascade-chat-model.js';
import { loadCascadeFile } from '../../optimize/cascade/trained-cascade.js';
import { loadOutcomeFile } from '../../optimize/outcomes/load-outcomes.js';
import { createReplayChatModel } from '../../optimize/replay/replay-chat-model.js';
import { createRouterChatModel } from '../../optimize/routing/router-chat-model.js';
import { loadRouterFile } from '../../optimize/routing/router-file.js';
import { localEmbedderFor } from '../../optimize/semantic-cache/local-hash-embedder.js';
import { createAnthropicChatModel } from '../../providers/anthropic-chat-model.js';
import type { ChatModel } from '../../providers/chat-model.js';
import { createGeminiChatModel } from '../../providers/gemini-chat-model.js';
import { createOpenAICompatibleChatModel } from '../../providers/openai-compatible-chat-model.js';
import { azureOpenAIBaseUrl, openAICompatiblePreset } from '../../providers/openai-compatible-presets.js';
import { createSimulatorChatModel, type KnowledgeEntry } from '../../providers/simulator/index.js';

export type ModelSetting = {
  /** Provider settings from the eval config (`providers:`), by provider name. */
  readonly providers: Readonly<Record<string, ProviderConfig>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** For `sim/...` models: what the simulator knows (the dataset's expected facts) and its seed. */
  readonly knowledge?: readonly KnowledgeEntry[] | undefined;
  readonly seed?: number | undefined;
  /** Where the model was named, for errors (`eval.yaml`, `candidates[1].model`). */
  readonly origin: { readonly file: string; readonly path: string };
};

const keyEnv: Readonly<Record<string, string>> = { anthropic: 'ANTHROPIC_API_KEY', gemini: 'GEMINI_API_KEY' };

/**
 * The ChatModel for `provider/model`: the simulator for `sim/...`, Anthropic, Gemini (`gemini/` or `google/`),
 * Azure OpenAI (`azure/<deployment>`, needs `providers.azure.base_url`), and any OpenAI-compatible API by its
 * preset name or a `base_url` (for `openai`, also `OPENAI_BASE_URL`). Keys come from the environment variable
 * the config or preset names.
 */
export function chatModelFor(id: string, setting: ModelSetting): ChatModel {
  const slash = id.indexOf('/');
  const provider = id.slice(0, slash);
  const model = id.slice(slash + 1);
  const fail = (problem: string): never => {
    throw new ConfigError(setting.origin.file, setting.origin.path, problem);
  };
  if (provider === 'sim') {
    try {
      return createSimulatorChatModel(model, { seed: setting.seed, knowledge: setting.knowledge });
    } catch (error) {
      return fail((error as Error).message);
    }
  }
  const config = setting.providers[provider] ?? {};
  if (provider === 'replay') {
    if (config.outcomes === undefined) {
      return fail('replay models need providers.replay.outcomes: the recorded outcomes file to answer from');
    }
    const set = loadOutcomeFile(config.outcomes, setting.origin.file);
    try {
      return createReplayChatModel(set, model);
    } catch (error) {
      return fail((error as Error).message);
    }
  }
  const http = {
    ...(config.timeout_ms === undefined ? {} : { timeoutMs: config.timeout_ms }),
    ...(config.max_retries === undefined ? {} : { maxRetries: config.max_retries }),
    ...(config.headers === undefined ? {} : { headers: config.headers }),
  };
  const envName =
    config.api_key_env ??
    keyEnv[provider === 'google' ? 'gemini' : provider] ??
    openAICompatiblePreset(provider)?.apiKeyEnv;
  const apiKey = envName === undefined ? undefined : setting.env[envName];
  const needKey = (): string =>
    apiKey ??
    fail(
      `${id} needs an API key: set ${envName ?? 'the key variable named by providers.<name>.api_key_env'}`,
    );
  try {
    if (provider === 'anthropic') {
      return createAnthropicChatModel({ model, apiKey: needKey(), baseUrl: config.base_url, ...http });
    }
    if (provider === 'gemini' || provider === 'google') {
      return createGeminiChatModel({ model, apiKey: needKey(), baseUrl: config.base_url, provider, ...http });
    }
    if (provider === 'azure') {
      const endpoint =
        config.base_url ?? fail('azure models need providers.azure.base_url (https://NAME.openai.azure.com)');
      return createOpenAICompatibleChatModel({
        provider,
        model,
        baseUrl: azureOpenAIBaseUrl(endpoint, model),
        apiKey: needKey(),
        ...(config.api_version === undefined ? {} : { query: { 'api-version': config.api_version } }),
        ...http,
      });
    }
    if (openAICompatiblePreset(provider) === undefined && config.base_url === undefined) {
      fail(
        `unknown provider '${provider}': use sim, openai, anthropic, gemini, azure, ollama, vllm, llamacpp, groq, together, openrouter, deepseek or mistral, or give providers.${provider}.base_url`,
      );
    }
    // Like the openai SDK, OPENAI_BASE_URL points `openai/...` models at a proxy or gateway.
    const baseUrl = config.base_url ?? (provider === 'openai' ? setting.env['OPENAI_BASE_URL'] : undefined);
    return createOpenAICompatibleChatModel({ provider, model, baseUrl, apiKey, ...http });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return fail((error as Error).message);
  }
}

/**
 * A candidate's model: its `model`, a router (`router: { file, strong, weak }`), or a cascade (`cascade: { file, models }`) whose stages are the listed
 * models (default: the file's stage names, as provider/model ids), scored with the embedder it was trained with.
 */
export function candidateModelFor(
  candidate: EvalCandidateConfig,
  index: number,
  setting: (path: string) => ModelSetting,
): ChatModel {
  if (candidate.model !== undefined)
    return chatModelFor(candidate.model, setting(`candidates[${index}].model`));
  if (candidate.router !== undefined) return routerModelFor(candidate.router, index, setting);
  const path = `candidates[${index}].cascade`;
  const { file } = setting(path).origin;
  const config = candidate.cascade!;
  const { cascade, fingerprint } = loadCascadeFile(config.file, file);
  const ids = config.models ?? cascade.stages;
  if (ids.length !== cascade.stages.length) {
    throw new ConfigError(
      file,
      `${path}.models`,
      `expected ${cascade.stages.length} models, one per stage (${cascade.stages.join(' → ')}); found ${ids.length}`,
    );
  }
  const embedder = trainedEmbedder('cascade', cascade.embedder, file, path);
  const models = ids.map((id, stage) =>
    liveModel(
      id,
      `stage ${stage + 1}`,
      setting,
      config.models === undefined ? `${path}.file` : `${path}.models[${stage}]`,
    ),
  );
  return createCascadeChatModel({ cascade, models, embedder, fingerprint });
}

/** A router candidate: the file's strong and weak names (or the given ones) as live models. */
function routerModelFor(
  config: NonNullable<EvalCandidateConfig['router']>,
  index: number,
  setting: (path: string) => ModelSetting,
): ChatModel {
  const path = `candidates[${index}].router`;
  const { file } = setting(path).origin;
  const { router, fingerprint } = loadRouterFile(config.file, file);
  const embedder = trainedEmbedder('router', router.embedder, file, path);
  const live = (side: 'strong' | 'weak') =>
    liveModel(
      config[side] ?? router[side],
      `the ${side} model`,
      setting,
      config[side] === undefined ? `${path}.file` : `${path}.${side}`,
    );
  return createRouterChatModel({ router, strong: live('strong'), weak: live('weak'), embedder, fingerprint });
}

/** The local embedder a router or cascade file was trained with; the embedder's id is in the file. */
function trainedEmbedder(what: string, id: string, file: string, path: string) {
  return (
    localEmbedderFor(id) ??
    fail(file, path, `the ${what} was trained with embedder '${id}'; frugal serves local/hash-v1-N ${what}s`)
  );
}

/** The live model a router or cascade names (`provider/model`), or an error saying where to name it. */
function liveModel(
  id: string,
  role: string,
  setting: (path: string) => ModelSetting,
  path: string,
): ChatModel {
  if (!/^[^/\s]+\/\S+$/.test(id)) {
    const { file } = setting(path).origin;
    fail(file, path, `${role} is '${id}': name its live model as provider/model`);
  }
  return chatModelFor(id, setting(path));
}

function fail(file: string, path: string, problem: string): never {
  throw new ConfigError(file, path, problem);
}
