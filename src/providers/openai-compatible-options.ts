import { FrugalError } from '../core/errors.js';
import type { HttpOptions } from './http-exchange.js';
import { type OpenAICompatiblePreset, openAICompatiblePreset } from './openai-compatible-presets.js';

/** Options of the OpenAI-compatible chat and embedding models. Unset values come from the provider's preset. */
export type OpenAICompatibleOptions = HttpOptions & {
  /** The provider's name, which picks the preset (`openai`, `azure`, `ollama`, `groq`...; default `openai`). */
  readonly provider?: string | undefined;
  /** The model name sent in the body and used for its price. */
  readonly model: string;
  /** The API root (`https://api.openai.com/v1`; Azure: see `azureOpenAIBaseUrl`). */
  readonly baseUrl?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly apiKeyHeader?: 'authorization' | 'api-key' | undefined;
  /** Query parameters for every call, over the preset's (Azure: `{ 'api-version': '...' }`). */
  readonly query?: Readonly<Record<string, string>> | undefined;
  readonly maxTokensField?: 'max_tokens' | 'max_completion_tokens' | undefined;
  readonly streamUsageOption?: boolean | undefined;
};

/** The options with the preset's defaults filled in. */
export type SettledOpenAICompatibleOptions = {
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string;
  readonly authHeaders: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  readonly streamUsageOption: boolean;
};

const unknownProvider: OpenAICompatiblePreset = {
  baseUrl: undefined,
  apiKeyEnv: undefined,
  requiresKey: false,
  apiKeyHeader: 'authorization',
  query: {},
  maxTokensField: 'max_tokens',
  streamUsageOption: true,
};

/** Fills in the preset; throws when no base URL is known or a key the provider requires is missing. */
export function settleOpenAICompatibleOptions(
  options: OpenAICompatibleOptions,
): SettledOpenAICompatibleOptions {
  const provider = options.provider ?? 'openai';
  const preset = openAICompatiblePreset(provider) ?? unknownProvider;
  const baseUrl = options.baseUrl ?? preset.baseUrl;
  if (baseUrl === undefined) {
    throw new FrugalError(`provider '${provider}' needs a baseUrl (no default is known for it)`);
  }
  if (preset.requiresKey && (options.apiKey === undefined || options.apiKey === '')) {
    throw new FrugalError(
      `provider '${provider}' needs an API key${preset.apiKeyEnv ? ` (usually in ${preset.apiKeyEnv})` : ''}`,
    );
  }
  const header = options.apiKeyHeader ?? preset.apiKeyHeader;
  const authHeaders: Record<string, string> = {};
  if (options.apiKey !== undefined && options.apiKey !== '') {
    if (header === 'api-key') authHeaders['api-key'] = options.apiKey;
    else authHeaders['authorization'] = `Bearer ${options.apiKey}`;
  }
  return {
    provider,
    model: options.model,
    baseUrl,
    authHeaders,
    query: { ...preset.query, ...options.query },
    maxTokensField: options.maxTokensField ?? preset.maxTokensField,
    streamUsageOption: options.streamUsageOption ?? preset.streamUsageOption,
  };
}
