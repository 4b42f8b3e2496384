/**
 * Defaults for the OpenAI-compatible providers: where they live, which environment variable conventionally holds
 * their key (read by the CLI and config, never here), and the few ways their protocol differs. Only defaults:
 * every value can be given explicitly to the factories.
 */
export type OpenAICompatiblePreset = {
  /** The API root that `/chat/completions` is appended to; undefined when it depends on the account (Azure). */
  readonly baseUrl: string | undefined;
  /** The environment variable that conventionally holds the key; undefined for local servers with no key. */
  readonly apiKeyEnv: string | undefined;
  /** Whether calls fail without a key. */
  readonly requiresKey: boolean;
  /** `authorization` (Bearer) or Azure's `api-key` header. */
  readonly apiKeyHeader: 'authorization' | 'api-key';
  /** Query parameters every call carries (Azure's `api-version`). */
  readonly query: Readonly<Record<string, string>>;
  readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Whether streams may send `stream_options: { include_usage: true }`. */
  readonly streamUsageOption: boolean;
};

/** The Azure OpenAI API version sent when none is given (the latest GA data-plane version). */
export const defaultAzureApiVersion = '2024-10-21';

const hosted = {
  requiresKey: true,
  apiKeyHeader: 'authorization',
  query: {},
  maxTokensField: 'max_tokens',
  streamUsageOption: true,
} as const;
const local = { ...hosted, requiresKey: false } as const;

export const openAICompatiblePresets = {
  openai: {
    ...hosted,
    baseUrl: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    maxTokensField: 'max_completion_tokens',
  },
  azure: {
    ...hosted,
    baseUrl: undefined,
    apiKeyEnv: 'AZURE_OPENAI_API_KEY',
    apiKeyHeader: 'api-key',
    query: { 'api-version': defaultAzureApiVersion },
    maxTokensField: 'max_completion_tokens',
  },
  ollama: { ...local, baseUrl: 'http://127.0.0.1:11434/v1', apiKeyEnv: undefined },
  vllm: { ...local, baseUrl: 'http://127.0.0.1:8000/v1', apiKeyEnv: 'VLLM_API_KEY' },
  llamacpp: { ...local, baseUrl: 'http://127.0.0.1:8080/v1', apiKeyEnv: undefined },
  groq: { ...hosted, baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY' },
  together: { ...hosted, baseUrl: 'https://api.together.xyz/v1', apiKeyEnv: 'TOGETHER_API_KEY' },
  openrouter: { ...hosted, baseUrl: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' },
  deepseek: { ...hosted, baseUrl: 'https://api.deepseek.com/v1', apiKeyEnv: 'DEEPSEEK_API_KEY' },
  // Mistral refuses `stream_options` (422 extra_forbidden) and reports usage in its last chunk anyway.
  mistral: {
    ...hosted,
    baseUrl: 'https://api.mistral.ai/v1',
    apiKeyEnv: 'MISTRAL_API_KEY',
    streamUsageOption: false,
  },
} as const satisfies Record<string, OpenAICompatiblePreset>;

export type OpenAICompatibleProvider = keyof typeof openAICompatiblePresets;

/** The preset of a provider name, if it is one of the table's. */
export function openAICompatiblePreset(provider: string): OpenAICompatiblePreset | undefined {
  return Object.hasOwn(openAICompatiblePresets, provider)
    ? openAICompatiblePresets[provider as OpenAICompatibleProvider]
    : undefined;
}

/** Azure OpenAI's per-deployment API root: `{endpoint}/openai/deployments/{deployment}`. */
export function azureOpenAIBaseUrl(endpoint: string, deployment: string): string {
  return `${endpoint.replace(/\/+$/, '')}/openai/deployments/${encodeURIComponent(deployment)}`;
}
