/**
 * The simulator's models. Every figure is declared, not measured: prices sit in
 * `core/prices/simulated-prices.ts`, latency and skill here. No profile stands for a real model.
 *
 * | model        | USD/1M in/out | first token | per token | skill | filler sentences | default max output |
 * | ------------ | ------------- | ----------- | --------- | ----- | ---------------- | ------------------ |
 * | `sim/small`  | 0.15 / 0.60   | 250 ms      | 8 ms      | 0.75  | 0–1 (terse)      | 16,384             |
 * | `sim/medium` | 0.40 / 1.60   | 400 ms      | 15 ms     | 0.90  | 1–2              | 16,384             |
 * | `sim/large`  | 2.50 / 10.00  | 700 ms      | 30 ms     | 0.97  | 2–4 (verbose)    | 32,768             |
 * | `sim/judge`  | 0.10 / 0.40   | 200 ms      | 6 ms      | 0.90  | 0                | 4,096              |
 *
 * `skill` is the probability that each expected fact of a known question is stated; latency is
 * first token + per token × output tokens, times a deterministic jitter of ±`jitter`.
 */
export type SimulatorProfile = {
  /** `sim/<name>`: the id, the model name and the price id. */
  readonly model: string;
  readonly description: string;
  /** Probability (0..1) that each expected fact is stated. */
  readonly skill: number;
  /** How many filler sentences an answer gets, drawn uniformly in [min, max]. */
  readonly fillerSentences: { readonly min: number; readonly max: number };
  readonly timeToFirstTokenMs: number;
  readonly msPerOutputToken: number;
  /** Relative jitter of the latency, e.g. 0.1 for ±10%. */
  readonly jitter: number;
  /** Output cap when a request sets none. */
  readonly maxOutputTokens: number;
};

const profiles = [
  {
    model: 'sim/small',
    description: 'cheap and fast, terse, states about 75% of the expected facts',
    skill: 0.75,
    fillerSentences: { min: 0, max: 1 },
    timeToFirstTokenMs: 250,
    msPerOutputToken: 8,
    jitter: 0.1,
    maxOutputTokens: 16_384,
  },
  {
    model: 'sim/medium',
    description: 'mid-priced, states about 90% of the expected facts',
    skill: 0.9,
    fillerSentences: { min: 1, max: 2 },
    timeToFirstTokenMs: 400,
    msPerOutputToken: 15,
    jitter: 0.1,
    maxOutputTokens: 16_384,
  },
  {
    model: 'sim/large',
    description: 'expensive and slower, verbose, states about 97% of the expected facts',
    skill: 0.97,
    fillerSentences: { min: 2, max: 4 },
    timeToFirstTokenMs: 700,
    msPerOutputToken: 30,
    jitter: 0.1,
    maxOutputTokens: 32_768,
  },
  {
    model: 'sim/judge',
    description: 'cheap offline judge: answers frugal-judge requests with a heuristic JSON verdict',
    skill: 0.9,
    fillerSentences: { min: 0, max: 0 },
    timeToFirstTokenMs: 200,
    msPerOutputToken: 6,
    jitter: 0.1,
    maxOutputTokens: 4_096,
  },
] as const satisfies readonly SimulatorProfile[];

/** The simulator's model ids. */
export const simulatorModels = profiles.map((profile) => profile.model);
/** One of `simulatorModels`. */
export type SimulatorModel = (typeof profiles)[number]['model'];

/** Every profile, by model id. */
export const simulatorProfiles: Readonly<Record<SimulatorModel, SimulatorProfile>> = Object.fromEntries(
  profiles.map((profile) => [profile.model, profile]),
) as Record<SimulatorModel, SimulatorProfile>;
