import { UsageError } from '../errors.js';
import { divideRoundHalfEven } from '../money.js';
import type { GpuPriceEntry } from '../prices/price-entry.js';
import type { Usage } from '../usage.js';
import type { CostComponent, PricedCost, UnpricedCost } from './cost-result.js';
import { unpriced } from './token-cost.js';

const MS_PER_HOUR = 3_600_000n;
const SECONDS_PER_HOUR = 3_600n;

/**
 * Exact cost of one request to a self-hosted model priced per GPU-hour, amortised over measured time:
 * - with `concurrency` (requests served at once): durationMs × hourlyPerGpu × gpuCount / (3,600,000 ×
 *   concurrency); without a duration the request is unpriced ('needs-duration'), never $0;
 * - with `tokensPerSecond` (the deployment's measured throughput): (input + output) tokens × hourlyPerGpu ×
 *   gpuCount / (3,600 × tokensPerSecond).
 * Concurrency and throughput may have up to 3 decimals (they are scaled by 1,000 to stay integers); the
 * one division rounds half to even.
 */
export function gpuCost(
  usage: Usage,
  entry: GpuPriceEntry,
  options: { readonly durationMs?: number | undefined },
): PricedCost | UnpricedCost {
  const { gpu } = entry;
  const perHour = gpu.hourlyPerGpu * BigInt(gpu.gpuCount);
  let amount: bigint;
  if (gpu.concurrency !== undefined) {
    const { durationMs } = options;
    if (durationMs === undefined) {
      const message = `'${entry.id}' is priced per GPU-hour: its cost needs the request's measured duration`;
      return unpriced(entry.id, 'needs-duration', message);
    }
    if (!Number.isSafeInteger(durationMs) || durationMs < 0) {
      throw new UsageError(`duration must be a non-negative integer of milliseconds, got ${durationMs}`);
    }
    amount = divideRoundHalfEven(BigInt(durationMs) * perHour * 1000n, MS_PER_HOUR * milli(gpu.concurrency));
  } else {
    if (usage.input === undefined || usage.output === undefined) {
      const message = `incomplete usage for '${entry.id}': its throughput price needs input and output tokens`;
      return unpriced(entry.id, 'incomplete-usage', message);
    }
    const tokens = BigInt(usage.input + usage.output);
    amount = divideRoundHalfEven(
      tokens * perHour * 1000n,
      SECONDS_PER_HOUR * milli(gpu.tokensPerSecond ?? 0),
    );
  }
  const zero: Record<CostComponent, bigint> = {
    freshInput: 0n,
    cachedInput: 0n,
    cacheWrite: 0n,
    cacheWrite1h: 0n,
    output: 0n,
    reasoning: 0n,
  };
  const cached = (usage.cachedInput ?? 0) + (usage.cacheWrite ?? 0) + (usage.cacheWrite1h ?? 0);
  return {
    status: 'priced',
    model: entry.id,
    total: amount,
    breakdown: { ...zero, gpuTime: amount, batchDiscount: 0n },
    tokens: {
      freshInput: (usage.input ?? 0) - cached,
      cachedInput: usage.cachedInput ?? 0,
      cacheWrite: usage.cacheWrite ?? 0,
      cacheWrite1h: usage.cacheWrite1h ?? 0,
      output: (usage.output ?? 0) - (usage.reasoning ?? 0),
      reasoning: usage.reasoning ?? 0,
    },
    rates: {
      freshInput: undefined,
      cachedInput: undefined,
      cacheWrite: undefined,
      cacheWrite1h: undefined,
      output: undefined,
      reasoning: undefined,
    },
    source: entry.source,
    effectiveFrom: entry.effectiveFrom,
    tier: 'standard',
    band: undefined,
    batch: 'none',
    match: undefined,
    notes: [],
  };
}

function milli(value: number): bigint {
  const scaled = Math.round(value * 1000);
  if (!(scaled > 0)) throw new RangeError(`GPU concurrency/throughput must be positive, got ${value}`);
  return BigInt(scaled);
}
