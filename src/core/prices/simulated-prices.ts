import type { TokenPriceEntry } from './price-entry.js';

/** Dollars per 1M tokens as the catalog's rate unit: micro-dollars per 1M tokens = pico-dollars per token. */
const perMillion = (dollars: number): bigint => BigInt(Math.round(dollars * 1_000_000));

function simulated(
  name: string,
  input: number,
  output: number,
  limits: { readonly contextWindow: number; readonly maxOutput?: number },
  mode: 'chat' | 'embedding' = 'chat',
): TokenPriceEntry {
  const id = `sim/${name}`;
  return {
    kind: 'tokens',
    id,
    provider: 'sim',
    mode,
    ...limits,
    source: `simulator:${id}`,
    rates: { input: perMillion(input), output: perMillion(output) },
    batch: {},
    tiers: {},
    bands: [],
  };
}

/**
 * Declared prices of the offline simulator's models (`src/providers/simulator`), so that their spans and
 * evaluation rows are costed like any other model's. They are not the price of any real model: the ids say
 * `sim/`, the provider is `sim` and the source `simulator:sim/...`, so every listing shows them as simulated.
 * Input/output USD per 1M tokens (cached input and batch fall back to the price book's usual rules):
 *
 * | id           | input | output | context | max output |
 * | ------------ | ----- | ------ | ------- | ---------- |
 * | `sim/small`  | 0.15  | 0.60   | 128,000 | 16,384     |
 * | `sim/medium` | 0.40  | 1.60   | 128,000 | 16,384     |
 * | `sim/large`  | 2.50  | 10.00  | 200,000 | 32,768     |
 * | `sim/judge`  | 0.10  | 0.40   | 128,000 | 4,096      |
 * | `sim/embed`  | 0.02  | 0      | 8,192   | (embedding) |
 */
export const simulatedPriceEntries: readonly TokenPriceEntry[] = [
  simulated('small', 0.15, 0.6, { contextWindow: 128_000, maxOutput: 16_384 }),
  simulated('medium', 0.4, 1.6, { contextWindow: 128_000, maxOutput: 16_384 }),
  simulated('large', 2.5, 10, { contextWindow: 200_000, maxOutput: 32_768 }),
  simulated('judge', 0.1, 0.4, { contextWindow: 128_000, maxOutput: 4_096 }),
  simulated('embed', 0.02, 0, { contextWindow: 8_192 }, 'embedding'),
];
