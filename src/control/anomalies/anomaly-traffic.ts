import { createRandom } from '../../core/random.js';
import type { Span } from '../../core/spans/span.js';
import { DAY_MS, HOUR_MS } from '../../core/time/zone-calendar.js';
import { randomHex } from '../../store/generate-spans.js';

/** Models the generated traffic calls, with pico-dollars per input / output token (= micro-dollars per 1M). */
export const trafficModels = {
  'gpt-4o': { provider: 'openai', input: 2_500_000n, output: 10_000_000n },
  'gpt-4o-mini': { provider: 'openai', input: 150_000n, output: 600_000n },
  'claude-sonnet-4-5': { provider: 'anthropic', input: 3_000_000n, output: 15_000_000n },
  'claude-haiku-4-5': { provider: 'anthropic', input: 1_000_000n, output: 5_000_000n },
} as const;
export type TrafficModel = keyof typeof trafficModels;

/** One feature's steady traffic. */
export type FeatureTraffic = {
  readonly feature: string;
  /** Mean calls in an average weekday hour (the daily rhythm moves it between about 0.3× and 1.6×). */
  readonly callsPerHour: number;
  /** Mean input / output tokens per call; each call varies around it (log-normal, about ±45 % / ±60 %). */
  readonly meanInputTokens: number;
  readonly meanOutputTokens: number;
  /** Picked uniformly per call. */
  readonly models: readonly TrafficModel[];
  /** Share of calls tagged `eval` (default 0). */
  readonly evalShare?: number | undefined;
  /** Share of failed calls (default 0.02); a failed call is retried with the same request up to 3 times. */
  readonly errorShare?: number | undefined;
  /** Share of calls sending one of 20 popular identical requests, the first most often (default 0.05). */
  readonly popularShare?: number | undefined;
};

/** Four features of an everyday product: search, chat (many repeated greetings), summaries, a busy classifier. */
export const everydayFeatures: readonly FeatureTraffic[] = [
  {
    feature: 'search',
    callsPerHour: 40,
    meanInputTokens: 3_000,
    meanOutputTokens: 300,
    models: ['gpt-4o-mini', 'claude-haiku-4-5'],
    evalShare: 0.05,
  },
  {
    feature: 'chat',
    callsPerHour: 30,
    meanInputTokens: 1_800,
    meanOutputTokens: 500,
    models: ['gpt-4o', 'claude-sonnet-4-5'],
    popularShare: 0.2,
    evalShare: 0.05,
  },
  {
    feature: 'summarize',
    callsPerHour: 12,
    meanInputTokens: 6_000,
    meanOutputTokens: 400,
    models: ['gpt-4o'],
  },
  {
    feature: 'classify',
    callsPerHour: 60,
    meanInputTokens: 400,
    meanOutputTokens: 5,
    models: ['gpt-4o-mini'],
    popularShare: 0.3,
  },
];

/** The same features with `callsPerHour` times `factor` (and any other field replaced). */
export function scaledFeatures(
  features: readonly FeatureTraffic[],
  factor: number,
  changes: Partial<FeatureTraffic> = {},
): FeatureTraffic[] {
  return features.map((feature) => ({ ...feature, callsPerHour: feature.callsPerHour * factor, ...changes }));
}

export type TrafficOptions = {
  readonly seed: number;
  /** Epoch ms, inclusive / exclusive. */
  readonly from: number;
  readonly to: number;
  readonly features: readonly FeatureTraffic[];
  /** Day-to-day swing of volume, the σ of a log-normal factor per UTC day (default 0.15). */
  readonly dailySwing?: number | undefined;
  /** Busy afternoons, quiet nights (UTC) and weekends at 60 % (default true). */
  readonly rhythm?: boolean | undefined;
  /** Share of calls with no price (default 0.01). */
  readonly unpricedShare?: number | undefined;
};

type Random = () => number;

/** A standard normal draw (Box–Muller). */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A Poisson count: by inversion for small means, a rounded normal for large ones. */
function poisson(random: Random, mean: number): number {
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  let count = 0;
  let product = random();
  const limit = Math.exp(-mean);
  while (product > limit) {
    count++;
    product *= random();
  }
  return count;
}

/** A stable 32-hex hash of a text (FNV-1a, four lanes): the same popular request always hashes the same. */
export function textHash(text: string): string {
  return [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b]
    .map((seed) => {
      let hash = seed;
      for (let index = 0; index < text.length; index++)
        hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
      return (hash >>> 0).toString(16).padStart(8, '0');
    })
    .join('');
}

/** How busy an hour is relative to the average: quiet nights, a peak mid-afternoon (UTC), quieter weekends. */
function rhythmAt(instant: number): number {
  const hour = new Date(instant).getUTCHours();
  const weekday = new Date(instant).getUTCDay();
  const daily = 0.3 + 1.3 * Math.max(0, Math.sin((Math.PI * (hour - 5)) / 18));
  return daily * (weekday === 0 || weekday === 6 ? 0.6 : 1);
}

/** What one call looks like; `failed` calls report no usage and carry no cost, as a 429 or 5xx would. */
export type CallShape = {
  readonly startTime: number;
  readonly feature: string;
  readonly model: TrafficModel;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly failed: boolean;
  readonly requestHash: string;
  readonly user: string;
  readonly tags?: readonly string[] | undefined;
  readonly unpriced?: boolean | undefined;
};

/** An LLM span for a call, priced exactly from `trafficModels`. */
export function callSpan(random: Random, call: CallShape): Span {
  const model = trafficModels[call.model];
  const cost = BigInt(call.inputTokens) * model.input + BigInt(call.outputTokens) * model.output;
  return {
    id: randomHex(random, 16),
    traceId: randomHex(random, 32),
    name: `chat ${call.model}`,
    kind: 'llm',
    startTime: call.startTime,
    durationMs: 300 + Math.floor(random() * 3_000),
    status: call.failed ? 'error' : 'ok',
    ...(call.failed ? { error: { type: 'rate_limit', message: '429 Too Many Requests' } } : {}),
    operation: 'chat',
    provider: model.provider,
    requestModel: call.model,
    requestHash: call.requestHash,
    ...(call.failed
      ? {}
      : {
          usage: { input: call.inputTokens, output: call.outputTokens },
          cost: call.unpriced
            ? { status: 'unpriced', reason: 'unknown-model', message: `no price for ${call.model}` }
            : { status: 'priced', total: cost, priceId: call.model, source: `catalog:${call.model}` },
        }),
    attribution: { feature: call.feature, user: call.user, ...(call.tags ? { tags: [...call.tags] } : {}) },
    attributes: {},
  };
}

/**
 * Realistic, seeded traffic of several features over [from, to): Poisson arrivals following a daily and weekly
 * rhythm with day-to-day swings, token counts varying around each feature's mean, a few heavy users, popular
 * identical requests, failed calls retried with backoff (1 to 4 copies of a request), some unpriced calls and
 * eval-tagged calls (retries of the last calls may start a few seconds after `to`). The same options give the
 * same spans, sorted by start time.
 */
export function generateTraffic(options: TrafficOptions): Span[] {
  const random = createRandom(options.seed);
  const swing = options.dailySwing ?? 0.15;
  const dayFactors = new Map<number, number>();
  const spans: Span[] = [];
  for (let slot = options.from; slot < options.to; slot += HOUR_MS) {
    const length = Math.min(HOUR_MS, options.to - slot);
    const day = Math.floor(slot / DAY_MS);
    if (!dayFactors.has(day)) dayFactors.set(day, Math.exp(swing * gaussian(random) - (swing * swing) / 2));
    const busy = ((options.rhythm ?? true) ? rhythmAt(slot) : 1) * dayFactors.get(day)! * (length / HOUR_MS);
    for (const feature of options.features) {
      const count = poisson(random, feature.callsPerHour * busy);
      for (let index = 0; index < count; index++) {
        spans.push(...featureCall(random, feature, slot + Math.floor(random() * length), options));
      }
    }
  }
  return spans.sort((a, b) => a.startTime - b.startTime);
}

/** One call of a feature, followed by its retries when it fails. */
function featureCall(
  random: Random,
  feature: FeatureTraffic,
  startTime: number,
  options: TrafficOptions,
): Span[] {
  const popular = random() < (feature.popularShare ?? 0.05);
  const requestHash = popular
    ? textHash(`${feature.feature}:popular:${Math.floor(random() ** 2 * 20)}`)
    : randomHex(random, 32);
  const isEval = random() < (feature.evalShare ?? 0);
  const base = {
    feature: feature.feature,
    model: feature.models[Math.floor(random() * feature.models.length)]!,
    inputTokens: Math.max(1, Math.round(feature.meanInputTokens * Math.exp(0.45 * gaussian(random) - 0.1))),
    outputTokens: Math.max(1, Math.round(feature.meanOutputTokens * Math.exp(0.6 * gaussian(random) - 0.18))),
    requestHash,
    user: isEval ? 'eval-runner' : `user-${Math.floor(random() ** 3 * 300)}`,
    ...(isEval ? { tags: ['eval'] } : random() < 0.5 ? { tags: ['prod'] } : {}),
    unpriced: random() < (options.unpricedShare ?? 0.01),
  };
  const spans: Span[] = [];
  let time = startTime;
  for (let attempt = 0; attempt < 4; attempt++) {
    const failed = random() < (feature.errorShare ?? 0.02);
    spans.push(callSpan(random, { ...base, startTime: time, failed }));
    if (!failed) break;
    time += 1_000 * 2 ** attempt + Math.floor(random() * 1_000);
  }
  return spans;
}

/** The exact sum of the priced costs of the spans that pass `keep`. */
export function pricedTotal(spans: readonly Span[], keep: (span: Span) => boolean = () => true): bigint {
  return spans.reduce(
    (sum, span) => (span.cost?.status === 'priced' && keep(span) ? sum + span.cost.total : sum),
    0n,
  );
}

/** A burst of calls spread over [start, start + durationMs): a retry storm (one `requestHash`) or an error loop. */
export type BurstOptions = {
  readonly seed: number;
  readonly start: number;
  readonly durationMs: number;
  readonly calls: number;
  readonly feature: string;
  readonly model: TrafficModel;
  /** The same request every time; otherwise each call differs. */
  readonly requestHash?: string | undefined;
  /** Share of failed calls (default 0). */
  readonly errorShare?: number | undefined;
  readonly inputTokens?: number | undefined;
  readonly tags?: readonly string[] | undefined;
};

export function burstSpans(options: BurstOptions): Span[] {
  const random = createRandom(options.seed);
  return Array.from({ length: options.calls }, (_, index) =>
    callSpan(random, {
      startTime: options.start + Math.floor(((index + random()) / options.calls) * options.durationMs),
      feature: options.feature,
      model: options.model,
      inputTokens: options.inputTokens ?? 1_500,
      outputTokens: 300,
      failed: random() < (options.errorShare ?? 0),
      requestHash: options.requestHash ?? randomHex(random, 32),
      user: 'user-7',
      tags: options.tags,
    }),
  );
}
