// The built package, resolved through package.json "exports" exactly as a user's import would be.
import {
  correctness,
  cost,
  countChatTokens,
  createSimulatorChatModel,
  evaluate,
  factCoverage,
  formatUsd,
  paretoFrontier,
  usageFromAnthropic,
} from 'frugal';
import { describe, expect, it } from 'vitest';

describe('the package entry point (README "Library")', () => {
  it('prices an Anthropic response with cache writes, from its wire usage', () => {
    const usage = usageFromAnthropic({
      input_tokens: 50,
      output_tokens: 400,
      cache_read_input_tokens: 10_000,
      cache_creation_input_tokens: 2_000,
    });
    const result = cost(usage, 'anthropic/claude-sonnet-4-5');
    if (result.status !== 'priced') throw new Error(result.message);
    // 50 × $3 + 10,000 × $0.30 + 2,000 × $3.75 + 400 × $15, per 1M tokens.
    expect(formatUsd(result.total)).toBe('0.01665');
    expect(result.source).toBe('litellm:claude-sonnet-4-5');
  });

  it('reports an unknown model as unpriced with suggestions, never $0', () => {
    const result = cost({ input: 10, output: 10 }, 'gpt-4o-mnii');
    expect(result.status).toBe('unpriced');
    if (result.status === 'unpriced') expect(result.suggestions).toContain('gpt-4o-mini');
  });

  it('counts chat tokens exactly for OpenAI models', async () => {
    const count = await countChatTokens([{ role: 'user', content: 'Hello!' }], { model: 'gpt-4o' });
    expect(count).toMatchObject({ encoding: 'o200k_base', exact: true, tokens: 9 });
  });

  it('marks a Pareto frontier', () => {
    const points = [
      [0.01, 0.9],
      [0.02, 0.8],
      [0.005, 0.7],
    ];
    expect(paretoFrontier(points, ['minimize', 'maximize'])).toEqual([true, false, true]);
  });
});

describe('README examples', () => {
  it('the frugal.yaml example parses and its prices win over the catalog', async () => {
    const { readFileSync } = await import('node:fs');
    const { defaultPriceBook, parseConfig } = await import('frugal');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const yaml = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((b) => b.includes('prices:'));
    expect(yaml).toBeDefined();
    const config = parseConfig(yaml!, 'README.md');
    const book = defaultPriceBook().withPrices(config.prices);
    const before = cost({ input: 1_000_000, output: 0 }, 'gpt-4o', { book, on: '2026-02-28' });
    const after = cost({ input: 1_000_000, output: 0 }, 'gpt-4o', { book, on: '2026-03-01' });
    expect(before.status === 'priced' && formatUsd(before.total)).toBe('2.50');
    expect(after.status === 'priced' && formatUsd(after.total)).toBe('2.25');
    const local = cost({ input: 1_800, output: 600 }, 'llama-3.1-70b-local', { book });
    // 2,400 tokens at 2,400 tokens/s = 1 s of 2 GPUs at $4/h = $0.00222…, rounded half-even to a pico-dollar.
    expect(local.status === 'priced' && formatUsd(local.total)).toBe('0.002222222222');
  });

  it('the budgets example parses into the budgets and webhook it shows', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseConfig } = await import('frugal');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const yaml = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((b) => b.includes('budgets:'));
    const config = parseConfig(yaml!, 'README.md');
    expect(
      config.budgets.map((budget) => [budget.id, budget.timeZone, formatUsd(budget.limit), budget.hard]),
    ).toEqual([
      ['global/month', 'Europe/Berlin', '500.00', true],
      ['feature:search/day', 'Europe/Berlin', '20.00', false],
    ]);
    expect(config.alerts.webhooks).toHaveLength(1);
  });

  it('evaluates a candidate like MLflow (README "Decide"), offline, with per-fact verdicts and exact costs', async () => {
    const rows = [
      {
        id: 'q1',
        index: 0,
        inputs: { question: 'What is a database index?' },
        expectations: { expected_facts: ['data structure that improves query speed'] },
      },
    ];
    const result = await evaluate({
      data: rows,
      candidate: { name: 'small', model: createSimulatorChatModel('sim/small') },
      scorers: [correctness({ model: createSimulatorChatModel('sim/judge') }), factCoverage()],
    });
    expect(Object.keys(result.metrics)).toEqual(
      expect.arrayContaining(['correctness/mean', 'correctness/ci_low', 'fact_coverage/mean']),
    );
    const [row] = result.rows;
    expect(row?.scores['correctness']?.details?.['facts']).toHaveLength(1);
    expect(row?.cost).toBeGreaterThan(0n);
    expect(row?.judgeCost).toBeGreaterThan(0n);
    expect(result.simulated).toBe(true);
  });
});
