import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Usage } from '../usage.js';
import { cost } from './cost.js';

/**
 * frugal's exact costs against an independent floating-point re-implementation of LiteLLM's cost rules
 * (cost_calculator.py / llm_cost_calc/utils.py, summarised in ../shared/data/SOURCES.md), applied to the RAW
 * entries of ../shared/data/litellm_model_prices.json. They must agree to the nano-dollar.
 *
 * The cases avoid the one place frugal departs from LiteLLM on purpose (a cache rate the model lacks:
 * LiteLLM bills those tokens at $0, frugal at the input rate); a test at the end pins that difference.
 */
type RawInfo = Record<string, unknown>;
const raw = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'litellm_model_prices.json'),
    'utf8',
  ),
) as Record<string, RawInfo>;

type Options = { tier?: 'priority' | 'flex'; batch?: boolean };
/** Every usage part known (the reference reads unreported parts as 0, as LiteLLM does). */
type FullUsage = { readonly [K in keyof Usage]-?: number };

/** LiteLLM's rules in floats, written from its source, reading the raw keys directly. */
function litellmCost(info: RawInfo, usage: FullUsage, options: Options): number {
  const num = (key: string): number | undefined =>
    typeof info[key] === 'number' ? (info[key] as number) : undefined;
  const prompt = usage.input;
  const completion = usage.output;
  if (options.batch) {
    // batch_cost_calculator: explicit *_batches rates, else half the standard rate, on all prompt/completion tokens.
    const inRate = num('input_cost_per_token_batches') ?? (num('input_cost_per_token') ?? 0) / 2;
    const outRate = num('output_cost_per_token_batches') ?? (num('output_cost_per_token') ?? 0) / 2;
    return prompt * inRate + completion * outRate;
  }
  const tier = options.tier;
  const keyed = (key: string) => (tier ? `${key}_${tier}` : key);
  // _get_cost_per_unit: a missing tier key falls back to the standard key, a missing key to the default.
  const rate = (key: string, fallback = 0): number =>
    num(key) ?? (tier ? num(key.replace(`_${tier}`, '')) : undefined) ?? fallback;
  let input: number;
  let output: number;
  let cacheCreation: number;
  let cacheCreation1h: number;
  let cacheRead: number;
  let reasoningRate: number | undefined;
  const tiers = info['tiered_pricing'] as { range: [number, number]; [key: string]: unknown }[] | undefined;
  if (tiers) {
    // select_tier_for_input: start < prompt <= end, else the last tier; rates fall back to the tier's input.
    const sorted = [...tiers].sort((a, b) => a.range[0] - b.range[0]);
    const chosen = sorted.find((t) => t.range[0] < prompt && prompt <= t.range[1]) ?? sorted.at(-1)!;
    const at = (key: string) => (typeof chosen[key] === 'number' ? (chosen[key] as number) : undefined);
    input = at('input_cost_per_token')!;
    output = at('output_cost_per_token') ?? num('output_cost_per_token') ?? 0;
    cacheCreation = at('cache_creation_input_token_cost') ?? input;
    cacheCreation1h = at('cache_creation_input_token_cost_above_1hr') ?? cacheCreation;
    cacheRead = at('cache_read_input_token_cost') ?? input;
    reasoningRate = at('output_cost_per_reasoning_token') ?? at('output_cost_per_token');
  } else {
    input = rate(keyed('input_cost_per_token'));
    output = rate(keyed('output_cost_per_token'));
    cacheCreation = rate(keyed('cache_creation_input_token_cost'));
    cacheCreation1h = rate('cache_creation_input_token_cost_above_1hr');
    cacheRead = rate(keyed('cache_read_input_token_cost'));
    const thresholds = Object.keys(info)
      .map((key) => /^input_cost_per_token_above_(\d+)(k?)_tokens$/.exec(key))
      .filter((match) => match !== null)
      .map((match) => ({ label: `${match[1]}${match[2]}`, tokens: Number(match[1]) * (match[2] ? 1000 : 1) }))
      .sort((a, b) => b.tokens - a.tokens);
    const inclusive = info['litellm_provider'] === 'xai';
    for (const { label, tokens } of thresholds) {
      if (prompt > tokens || (inclusive && prompt === tokens)) {
        const above = (stem: string, current: number) =>
          rate(keyed(`${stem}_above_${label}_tokens`), current);
        input = above('input_cost_per_token', input);
        output = above('output_cost_per_token', output);
        cacheCreation = above('cache_creation_input_token_cost', cacheCreation);
        cacheCreation1h = rate(
          `cache_creation_input_token_cost_above_1hr_above_${label}_tokens`,
          cacheCreation1h,
        );
        cacheRead = above('cache_read_input_token_cost', cacheRead);
        break;
      }
    }
    // _resolve_reasoning_token_cost
    const tierReasoning = tier ? num(keyed('output_cost_per_reasoning_token')) : undefined;
    reasoningRate =
      tierReasoning ??
      (tier && num(keyed('output_cost_per_token')) !== undefined
        ? output
        : num('output_cost_per_reasoning_token'));
  }
  const text = prompt - usage.cachedInput - usage.cacheWrite - usage.cacheWrite1h;
  const promptCost =
    text * input +
    usage.cachedInput * cacheRead +
    usage.cacheWrite * cacheCreation +
    usage.cacheWrite1h * cacheCreation1h;
  const completionCost =
    (completion - usage.reasoning) * output + usage.reasoning * (reasoningRate ?? output);
  return promptCost + completionCost;
}

type Case = [model: string, usage: Usage, options?: Options];
const u = (input: number, output: number, parts: Partial<Usage> = {}): Usage => ({ input, output, ...parts });

const cases: Case[] = [
  // OpenAI: plain, cached, reasoning (billed at output), priority and flex tiers, batch
  ['gpt-4o', u(12_000, 800, { cachedInput: 8_000 })],
  ['gpt-4o', u(1_000, 500)],
  ['gpt-4o-mini', u(250_000, 4_000, { cachedInput: 100_000 })],
  ['gpt-4o', u(12_000, 800, { cachedInput: 8_000 }), { tier: 'priority' }],
  ['o3', u(40_000, 9_000, { cachedInput: 30_000, reasoning: 7_000 })],
  ['o3', u(40_000, 9_000, { cachedInput: 30_000, reasoning: 7_000 }), { tier: 'flex' }],
  ['o3', u(40_000, 9_000, { cachedInput: 30_000, reasoning: 7_000 }), { tier: 'priority' }],
  ['gpt-5', u(123_456, 7_890, { cachedInput: 100_000, reasoning: 5_000 }), { tier: 'flex' }],
  ['o1', u(5_000, 20_000, { cachedInput: 1_024, reasoning: 18_000 })],
  ['o3-mini', u(7, 3, { reasoning: 1 })],
  ['gpt-5.4', u(300_000, 2_000, { cachedInput: 250_000 })],
  ['azure/gpt-5.4', u(300_000, 2_000, { cachedInput: 250_000 }), { tier: 'priority' }],
  ['gpt-4o', u(10_000, 2_000), { batch: true }],
  ['gpt-4o-mini', u(10_001, 2_001), { batch: true }],
  // Anthropic: 5-minute and 1-hour cache writes, the >200k band (whole request, 1h rate of the band)
  [
    'claude-3-7-sonnet-20250219',
    u(20_000, 1_000, { cachedInput: 10_000, cacheWrite: 5_000, cacheWrite1h: 2_000 }),
  ],
  ['claude-opus-4-1', u(3_000, 900, { cacheWrite1h: 2_500 })],
  ['claude-3-haiku-20240307', u(50_000, 300, { cachedInput: 40_000, cacheWrite: 9_000 })],
  ['claude-sonnet-4-5', u(300_000, 800, { cachedInput: 100_000, cacheWrite: 50_000, cacheWrite1h: 1_000 })],
  ['claude-sonnet-4-5', u(200_000, 800, { cachedInput: 100_000 })],
  ['claude-sonnet-4-20250514', u(250_000, 4_000, { cacheWrite: 10_000 })],
  ['claude-3-haiku-20240307', u(10_000, 2_000), { batch: true }],
  ['azure_ai/claude-opus-4-5', u(9_999, 333, { cachedInput: 4_096, cacheWrite: 1_024 })],
  // Gemini: >200k band with cached reads, reasoning rate, priority band
  ['gemini-2.5-pro', u(250_000, 3_000, { cachedInput: 200_000 })],
  ['gemini-2.5-pro', u(150_000, 3_000, { cachedInput: 100_000, reasoning: 2_000 })],
  ['gemini/gemini-2.5-pro', u(250_000, 3_000, { cachedInput: 200_000, reasoning: 1_000 })],
  ['gemini/gemini-2.5-pro', u(250_000, 3_000), { tier: 'priority' }],
  ['gemini-2.5-flash', u(80_000, 6_000, { cachedInput: 20_000, reasoning: 4_000 })],
  ['gemini-3.1-pro-preview', u(210_000, 5_000), { tier: 'priority' }],
  // DeepSeek
  ['deepseek-chat', u(64_000, 2_000, { cachedInput: 60_000 })],
  ['deepseek/deepseek-reasoner', u(3_000, 12_000, { cachedInput: 1_000, reasoning: 10_000 })],
  // Bedrock (incl. a cross-region id) and Vertex
  ['anthropic.claude-3-5-sonnet-20240620-v1:0', u(12_000, 1_000, { cachedInput: 4_000, cacheWrite: 2_000 })],
  ['anthropic.claude-3-5-sonnet-20240620-v1:0', u(220_000, 1_000)],
  ['us.anthropic.claude-3-5-sonnet-20240620-v1:0', u(12_000, 1_000, { cachedInput: 4_000 })],
  ['amazon.nova-lite-v1:0', u(33_333, 4_444)],
  ['us.amazon.nova-pro-v1:0', u(33_333, 4_444)],
  ['vertex_ai/claude-3-5-sonnet@20240620', u(5_000, 700)],
  ['vertex_ai/meta/llama-3.1-405b-instruct-maas', u(5_000, 700)],
  // Embeddings (output 0), incl. batch
  ['text-embedding-3-small', u(1_000_000, 0)],
  ['text-embedding-3-large', u(123_457, 0), { batch: true }],
  ['gemini-embedding-001', u(42_000, 0)],
  ['voyage/voyage-3', u(42_000, 0)],
  ['cohere/embed-v4.0', u(42_000, 0)],
  // Reasoning models with their own reasoning rate
  ['perplexity/sonar-deep-research', u(2_000, 30_000, { reasoning: 25_000 })],
  ['dashscope/qwen-plus-2025-04-28', u(2_000, 30_000, { reasoning: 25_000 })],
  // Tiered ranges (the range chosen by prompt size prices the whole request) and xAI's inclusive threshold
  ['dashscope/qwen3-coder-plus', u(50_000, 2_000, { cachedInput: 10_000 })],
  ['dashscope/qwen-plus-2025-07-28', u(300_000, 9_000, { reasoning: 6_000 })],
  ['xai/grok-4-0709', u(128_000, 1_000)],
  ['xai/grok-4-0709', u(127_999, 1_000)],
  // Other providers
  ['mistral/mistral-large-latest', u(9_000, 1_500)],
  ['groq/llama-3.3-70b-versatile', u(9_000, 1_500)],
  ['together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo', u(9_000, 1_500)],
  ['fireworks_ai/accounts/fireworks/models/deepseek-v3', u(9_000, 1_500)],
  ['azure/o3', u(9_000, 1_500, { cachedInput: 8_000, reasoning: 1_000 })],
  ['openrouter/openai/gpt-4o', u(9_000, 1_500)],
];

const complete = (usage: Usage): FullUsage => ({
  input: usage.input ?? 0,
  cachedInput: usage.cachedInput ?? 0,
  cacheWrite: usage.cacheWrite ?? 0,
  cacheWrite1h: usage.cacheWrite1h ?? 0,
  output: usage.output ?? 0,
  reasoning: usage.reasoning ?? 0,
});

describe('agreement with LiteLLM rules on the raw price map (to the nano-dollar)', () => {
  it('has at least 40 cases, each naming a model present in the raw map', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const [model] of cases) expect(raw[model], model).toBeDefined();
  });

  it.each(cases)('%s %o %o', (model, usage, options = {}) => {
    const result = cost(usage, model, options);
    if (result.status !== 'priced') throw new Error(result.message);
    expect(result.match?.kind).toBe('exact');
    const expected = litellmCost(raw[model]!, complete(usage), options);
    expect(Math.abs(Number(result.total) / 1e12 - expected)).toBeLessThan(1e-9);
  });

  it('departs from LiteLLM only where a cache rate is missing: frugal bills the input rate, LiteLLM $0', () => {
    const usage = u(10_000, 100, { cachedInput: 6_000 });
    const info = raw['mistral/mistral-large-latest']!;
    expect(info['cache_read_input_token_cost']).toBeUndefined();
    const litellm = litellmCost(info, complete(usage), {});
    const result = cost(usage, 'mistral/mistral-large-latest');
    if (result.status !== 'priced') throw new Error(result.message);
    // LiteLLM: 4,000 × $0.5/M + 6,000 × $0 + 100 × $1.5/M = $0.00215; frugal: all 10,000 at $0.5/M.
    expect(litellm).toBeCloseTo(0.00215, 12);
    expect(result.total).toBe(5_150_000_000n);
    expect(result.notes).toEqual(['no cache-read rate: cached input priced at the input rate']);
  });
});
