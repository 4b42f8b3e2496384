import { describe, expect, it } from 'vitest';
import {
  providerAnswersTo,
  splitProviderPrefix,
  splitRegionPrefix,
  splitSnapshot,
  squashedBase,
} from './model-name.js';
import { editDistance } from './rank-model-names.js';

describe('model name spelling rules', () => {
  const snapshots: [string, { base: string; snapshot: string } | undefined][] = [
    ['gpt-4o-2024-08-06', { base: 'gpt-4o', snapshot: '2024-08-06' }],
    ['claude-sonnet-4-20250514', { base: 'claude-sonnet-4', snapshot: '20250514' }],
    ['vertex_ai/claude-3-5-sonnet@20240620', { base: 'vertex_ai/claude-3-5-sonnet', snapshot: '20240620' }],
    ['gpt-4-0613', { base: 'gpt-4', snapshot: '0613' }],
    ['qwen3-235b-a22b-instruct-2507', undefined], // YYMM, not a month-day
    ['gpt-4o', undefined],
    ['llama-3.1-8b', undefined],
  ];
  it.each(snapshots)('splitSnapshot(%s)', (name, expected) => {
    expect(splitSnapshot(name)).toEqual(expected);
  });

  const regions: [string, { region: string; rest: string } | undefined][] = [
    [
      'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
      { region: 'us', rest: 'anthropic.claude-3-5-sonnet-20240620-v1:0' },
    ],
    ['us-gov.meta.llama3-8b', { region: 'us-gov', rest: 'meta.llama3-8b' }],
    ['global.anthropic.claude-x', { region: 'global', rest: 'anthropic.claude-x' }],
    ['anthropic.claude-3-5-sonnet', undefined],
    ['eu.gpt-4o', undefined], // a region needs a vendor segment after it
  ];
  it.each(regions)('splitRegionPrefix(%s)', (name, expected) => {
    expect(splitRegionPrefix(name)).toEqual(expected);
  });

  it('splits provider prefixes and matches sub-providers and aliases', () => {
    expect(splitProviderPrefix('OpenAI/gpt-4o')).toEqual({ prefix: 'openai', rest: 'gpt-4o' });
    expect(splitProviderPrefix('gpt-4o')).toBeUndefined();
    expect(splitProviderPrefix('/x')).toBeUndefined();
    expect(providerAnswersTo('vertex_ai-anthropic_models', 'vertex_ai')).toBe(true);
    expect(providerAnswersTo('cohere_chat', 'cohere')).toBe(true);
    expect(providerAnswersTo('text-completion-openai', 'openai')).toBe(true);
    expect(providerAnswersTo('openai', 'anthropic')).toBe(false);
    expect(providerAnswersTo('azure_ai', 'azure')).toBe(true);
  });

  const distances: [string, string, number][] = [
    ['gpt4o', 'gpt4o', 0],
    ['claudesonet4', 'claudesonnet4', 1],
    ['abcd', 'abdc', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ];
  it.each(distances)('editDistance(%s, %s) = %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });

  it('squashes a name to its separator-free last segment', () => {
    expect(squashedBase('openai/GPT-4o')).toBe('gpt4o');
  });
});
