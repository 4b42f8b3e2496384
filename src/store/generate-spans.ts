import { createRandom } from '../core/random.js';
import type { Span } from '../core/spans/span.js';

/** How `generateSpans` shapes its traffic. Every knob has a realistic default. */
export type SpanTrafficOptions = {
  readonly count: number;
  readonly seed?: number | undefined;
  /** Epoch ms of the first span (default 2026-01-01T00:00Z); spans spread evenly over `days` after it. */
  readonly start?: number | undefined;
  readonly days?: number | undefined;
  readonly features?: number | undefined;
  readonly users?: number | undefined;
  readonly apiKeys?: number | undefined;
  /** Share of spans with no feature / no user / no key (default 0.02 each). */
  readonly missingAttribution?: number | undefined;
  /** Share of calls whose model has no price (default 0.01). */
  readonly unpricedShare?: number | undefined;
  /** Share of failed calls (default 0.02). */
  readonly errorShare?: number | undefined;
  /** Share of traces with a parent step span around their calls (default 0.1). */
  readonly stepShare?: number | undefined;
  /**
   * When set, every call gets a `requestHash`, and this share of calls repeats the request of one of the last
   * few distinct ones (retry storms, loops). The hashes come from their own seeded sequence: the rest of the
   * traffic is the same with or without them. Default: no hashes.
   */
  readonly repeatShare?: number | undefined;
};

/** Models with pico-dollars per input / output token (= micro-dollars per million), and how often each is used. */
const weighted = [
  { provider: 'openai', model: 'gpt-4o', input: 2_500_000n, output: 10_000_000n, weight: 3 },
  { provider: 'openai', model: 'gpt-4o-mini', input: 150_000n, output: 600_000n, weight: 6 },
  { provider: 'anthropic', model: 'claude-sonnet-4-5', input: 3_000_000n, output: 15_000_000n, weight: 3 },
  { provider: 'anthropic', model: 'claude-haiku-4-5', input: 1_000_000n, output: 5_000_000n, weight: 2 },
  { provider: 'gcp.gemini', model: 'gemini-2.5-flash', input: 300_000n, output: 2_500_000n, weight: 2 },
] as const;
const totalWeight = weighted.reduce((sum, entry) => sum + entry.weight, 0);
/** Each model with the upper end of its share of [0, totalWeight), to pick one from a uniform number. */
const models = weighted.map((entry, index) => ({
  ...entry,
  upTo: weighted.slice(0, index + 1).reduce((sum, each) => sum + each.weight, 0),
}));
const tagChoices = [
  [],
  [],
  [],
  ['prod'],
  ['prod'],
  ['eval'],
  ['batch', 'prod'],
  ['eval', 'nightly'],
] as const;

/** `length` lowercase hex digits from a random source (span and trace ids of generated traffic). */
export function randomHex(random: () => number, length: number): string {
  let text = '';
  while (text.length < length)
    text += Math.floor(random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  return text.slice(0, length);
}

/**
 * Realistic, seeded LLM traffic for tests and benchmarks: a few models (cheap ones most used), features, users
 * with a long tail (a few heavy users), API keys, tags, cached input, reasoning, some unpriced and failed calls
 * and some step spans, in time order. Costs are exact integers computed from the listed prices.
 */
export function generateSpans(options: SpanTrafficOptions): Span[] {
  const random = createRandom(options.seed ?? 1);
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const duration = (options.days ?? 30) * 86_400_000;
  const features = options.features ?? 20;
  const users = options.users ?? 1_000;
  const apiKeys = options.apiKeys ?? 12;
  const missing = options.missingAttribution ?? 0.02;
  const unpricedShare = options.unpricedShare ?? 0.01;
  const errorShare = options.errorShare ?? 0.02;
  const stepShare = options.stepShare ?? 0.1;
  const requestHash = options.repeatShare === undefined ? undefined : requestHashes(options);
  const spans: Span[] = [];
  let traceId = '';
  let parentId: string | undefined;
  let callsLeft = 0;
  while (spans.length < options.count) {
    const startTime = start + Math.floor((spans.length / options.count) * duration + random() * 1_000);
    const id = randomHex(random, 16);
    if (callsLeft === 0) {
      traceId = randomHex(random, 32);
      callsLeft = 1 + Math.floor(random() * 3);
      parentId = undefined;
      if (random() < stepShare) {
        parentId = id;
        spans.push({
          id,
          traceId,
          name: 'answer-question',
          kind: 'step',
          startTime,
          durationMs: 2_000 + Math.floor(random() * 3_000),
          status: 'ok',
          attribution: {},
          attributes: {},
        });
        continue;
      }
    }
    callsLeft--;
    const pick = random() * totalWeight;
    const entry = models.find((candidate) => pick < candidate.upTo) ?? models[0]!;
    const input = 200 + Math.floor(random() ** 2 * 20_000);
    const cachedInput = random() < 0.3 ? Math.floor(input * 0.6) : 0;
    const output = 20 + Math.floor(random() * 1_500);
    const reasoning = entry.model === 'gpt-4o' ? 0 : Math.floor(output * random() * 0.3);
    const unpriced = random() < unpricedShare;
    const failed = random() < errorShare;
    const cost = BigInt(input - cachedInput) * entry.input + (BigInt(cachedInput) * entry.input) / 2n;
    const user = Math.floor(random() ** 3 * users);
    const tags = tagChoices[Math.floor(random() * tagChoices.length)]!;
    spans.push({
      id,
      traceId,
      ...(parentId === undefined ? {} : { parentId }),
      name: `chat ${entry.model}`,
      kind: 'llm',
      startTime,
      durationMs: 300 + Math.floor(random() * 4_000),
      status: failed ? 'error' : 'ok',
      ...(failed ? { error: { type: 'rate_limit', message: '429 Too Many Requests' } } : {}),
      operation: 'chat',
      provider: entry.provider,
      requestModel: entry.model,
      ...(random() < 0.9 ? { responseModel: entry.model } : {}),
      usage: { input, cachedInput, output, reasoning },
      cost: unpriced
        ? { status: 'unpriced', reason: 'unknown-model', message: `no price for ${entry.model}` }
        : {
            status: 'priced',
            total: cost + BigInt(output) * entry.output,
            priceId: entry.model,
            source: `catalog:${entry.model}`,
          },
      attribution: {
        ...(random() < missing ? {} : { feature: `feature-${Math.floor(random() * features)}` }),
        ...(random() < missing ? {} : { user: `user-${user}` }),
        ...(random() < missing ? {} : { apiKeyId: `key-${user % apiKeys}` }),
        ...(tags.length === 0 ? {} : { tags: [...tags] }),
      },
      attributes: { 'gen_ai.request.temperature': 0.2 },
      ...(requestHash === undefined ? {} : { requestHash: requestHash() }),
    });
  }
  return spans;
}

/** Request hashes (32 hex) from their own sequence: mostly new, `repeatShare` of them one of the last 8. */
function requestHashes(options: SpanTrafficOptions): () => string {
  const random = createRandom((options.seed ?? 1) + 0x5eed);
  const recent: string[] = [];
  return () => {
    if (recent.length > 0 && random() < (options.repeatShare ?? 0)) {
      return recent[Math.floor(random() * recent.length)]!;
    }
    const hash = randomHex(random, 32);
    recent.push(hash);
    if (recent.length > 8) recent.shift();
    return hash;
  };
}
