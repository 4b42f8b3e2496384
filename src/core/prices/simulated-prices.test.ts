import { describe, expect, it } from 'vitest';
import { cost } from '../cost/cost.js';
import { defaultPriceBook } from './default-price-book.js';
import { simulatedPriceEntries } from './simulated-prices.js';

describe('simulatedPriceEntries', () => {
  it('are sim/ models with a simulator source, limits, and USD per 1M as pico-dollars per token', () => {
    for (const entry of simulatedPriceEntries) {
      expect(entry.id).toMatch(/^sim\/[a-z]+$/);
      expect(entry.provider).toBe('sim');
      expect(entry.source).toBe(`simulator:${entry.id}`);
      expect(entry.contextWindow).toBeGreaterThan(0);
      if (entry.mode === 'chat') expect(entry.maxOutput).toBeGreaterThan(0);
    }
    const small = simulatedPriceEntries.find((entry) => entry.id === 'sim/small')!;
    expect(small.rates).toEqual({ input: 150_000n, output: 600_000n });
  });

  it.each(simulatedPriceEntries.map((entry) => entry.id))('%s is priced by the default book', (id) => {
    const resolution = defaultPriceBook().resolve(id);
    expect(resolution.status).toBe('found');
    const priced = cost({ input: 1_000, output: 500 }, id);
    expect(priced.status).toBe('priced');
    if (priced.status === 'priced') expect(priced.total).toBeGreaterThan(0n);
  });

  it('costs sim/large 1,000 in + 1,000 out at $2.50 + $10 per 1M', () => {
    const priced = cost({ input: 1_000, output: 1_000 }, 'sim/large');
    expect(priced.status === 'priced' && priced.total).toBe(12_500_000_000n);
  });
});
