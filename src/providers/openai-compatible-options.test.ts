import { describe, expect, it } from 'vitest';
import { FrugalError } from '../core/errors.js';
import { settleOpenAICompatibleOptions } from './openai-compatible-options.js';
import {
  azureOpenAIBaseUrl,
  openAICompatiblePreset,
  openAICompatiblePresets,
} from './openai-compatible-presets.js';

describe('OpenAI-compatible presets', () => {
  it.each(Object.entries(openAICompatiblePresets))('%s has usable defaults', (provider, preset) => {
    const settled = settleOpenAICompatibleOptions({
      provider,
      model: 'm',
      apiKey: 'key',
      ...(preset.baseUrl === undefined ? { baseUrl: 'https://example.test/openai/deployments/d' } : {}),
    });
    expect(settled.baseUrl).toMatch(/^https?:\/\//);
    expect(settled.authHeaders).toEqual(
      preset.apiKeyHeader === 'api-key' ? { 'api-key': 'key' } : { authorization: 'Bearer key' },
    );
    if (preset.requiresKey) expect(preset.apiKeyEnv).toMatch(/^[A-Z_]+_API_KEY$/);
  });

  it.each([
    ['ollama', 'http://127.0.0.1:11434/v1'],
    ['openai', 'https://api.openai.com/v1'],
    ['openrouter', 'https://openrouter.ai/api/v1'],
  ])('%s defaults to %s', (provider, baseUrl) => {
    expect(settleOpenAICompatibleOptions({ provider, model: 'm', apiKey: 'k' }).baseUrl).toBe(baseUrl);
  });

  it('lets explicit values win over the preset', () => {
    const settled = settleOpenAICompatibleOptions({
      provider: 'azure',
      model: 'm',
      apiKey: 'k',
      baseUrl: 'https://x.test',
      query: { 'api-version': '2025-01-01-preview' },
      apiKeyHeader: 'authorization',
      maxTokensField: 'max_tokens',
    });
    expect(settled).toMatchObject({
      query: { 'api-version': '2025-01-01-preview' },
      authHeaders: { authorization: 'Bearer k' },
      maxTokensField: 'max_tokens',
    });
  });

  it.each([
    [{ provider: 'azure', model: 'm', apiKey: 'k' }, /needs a baseUrl/],
    [{ provider: 'my-gateway', model: 'm' }, /needs a baseUrl/],
    [{ provider: 'groq', model: 'm' }, /needs an API key \(usually in GROQ_API_KEY\)/],
  ])('refuses %j', (options, message) => {
    expect(() => settleOpenAICompatibleOptions(options)).toThrow(FrugalError);
    expect(() => settleOpenAICompatibleOptions(options)).toThrow(message);
  });

  it('needs no key for local servers and knows only its own providers', () => {
    expect(settleOpenAICompatibleOptions({ provider: 'ollama', model: 'llama3' }).authHeaders).toEqual({});
    expect(openAICompatiblePreset('toString')).toBeUndefined();
    expect(azureOpenAIBaseUrl('https://r.openai.azure.com/', 'my dep')).toBe(
      'https://r.openai.azure.com/openai/deployments/my%20dep',
    );
  });
});
