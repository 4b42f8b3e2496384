import { FrugalError } from '../../core/errors.js';
import type { ChatModel, GenerateRequest, StreamPart } from '../chat-model.js';
import type { KnowledgeEntry } from './knowledge-match.js';
import type { MalformedInjection } from './malformed-reply.js';
import { planSimulatedCall } from './plan-simulated-call.js';
import { realSleep, type Sleep } from './real-sleep.js';
import { type SimulatorProfile, simulatorModels, simulatorProfiles } from './simulator-profiles.js';

export type SimulatorOptions = {
  /** Seed of every draw (default 0); a request's own `seed` takes precedence. */
  readonly seed?: number | undefined;
  /** Questions with their expected facts; the eval runner passes the dataset's, so any dataset works. */
  readonly knowledge?: readonly KnowledgeEntry[] | undefined;
  /**
   * How much of the declared latency to actually wait: 0 (default) reports it without waiting, 1 waits for
   * real, 0.01 waits a hundredth. Reported latencies are always the declared ones.
   */
  readonly timeScale?: number | undefined;
  /** How to wait (default: `setTimeout`); tests pass a fake. */
  readonly sleep?: Sleep | undefined;
  /** Changes to the model's profile (skill, verbosity, latency, default max output). */
  readonly profile?: Partial<Omit<SimulatorProfile, 'model'>> | undefined;
  /** Judge replies to spoil on purpose (see `MalformedInjection`). */
  readonly malformed?: MalformedInjection | undefined;
};

function profileOf(model: string, overrides: SimulatorOptions['profile']): SimulatorProfile {
  const id = model.startsWith('sim/') ? model : `sim/${model}`;
  const base = (simulatorProfiles as Readonly<Record<string, SimulatorProfile>>)[id];
  if (!base) {
    throw new FrugalError(`no simulated model '${model}'; the simulator has ${simulatorModels.join(', ')}`);
  }
  const profile = { ...base, ...overrides, model: id };
  if (!(profile.skill >= 0 && profile.skill <= 1))
    throw new RangeError(`skill must be in [0, 1], got ${profile.skill}`);
  return profile;
}

/**
 * A simulated chat model (`sim/small`, `sim/medium`, `sim/large`, `sim/judge`; see `simulatorProfiles`):
 * offline, deterministic for a seed, with declared price, latency and skill. Every result says
 * `simulated: true` and its raw payload `{ simulated: true, profile }`: it is never a real model's output.
 * A prompt with a ```frugal-judge block gets a JSON verdict (see `judgeVerdict`), from any sim model.
 */
export function createSimulatorChatModel(model: string, options: SimulatorOptions = {}): ChatModel {
  const profile = profileOf(model, options.profile);
  const timeScale = options.timeScale ?? 0;
  if (!(timeScale >= 0)) throw new RangeError(`timeScale must be 0 or more, got ${timeScale}`);
  const sleep = options.sleep ?? realSleep;
  const planOptions = {
    seed: options.seed ?? 0,
    knowledge: options.knowledge ?? [],
    malformed: options.malformed,
  };
  let calls = 0;

  const plan = (request: GenerateRequest) => {
    request.signal?.throwIfAborted();
    calls += 1;
    return planSimulatedCall(profile, planOptions, request, calls);
  };
  const wait = async (ms: number, signal: AbortSignal | undefined) => {
    if (timeScale > 0 && ms > 0) await sleep(ms * timeScale, signal);
    signal?.throwIfAborted();
  };

  return {
    id: profile.model,
    provider: 'sim',
    model: profile.model,
    simulated: true,
    async generate(request) {
      const { result } = await plan(request);
      await wait(result.latencyMs, request.signal);
      return result;
    },
    async *stream(request): AsyncIterable<StreamPart> {
      const { result, timeToFirstTokenMs } = await plan(request);
      const deltas = result.text.match(/\s*\S+|\s+$/g) ?? [];
      await wait(timeToFirstTokenMs, request.signal);
      const between = deltas.length > 1 ? (result.latencyMs - timeToFirstTokenMs) / (deltas.length - 1) : 0;
      for (const [index, text] of deltas.entries()) {
        if (index > 0) await wait(between, request.signal);
        yield { type: 'text-delta', text };
      }
      yield { type: 'finish', result: { ...result, timeToFirstTokenMs } };
    },
  };
}
