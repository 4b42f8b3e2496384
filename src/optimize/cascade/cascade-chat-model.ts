import { createHash } from 'node:crypto';
import { FrugalError } from '../../core/errors.js';
import type { ChatModel, GenerateRequest, GenerateResult, StreamPart } from '../../providers/chat-model.js';
import type { Embedder } from '../embedder.js';
import { replayPrompt } from '../replay/replay-chat-model.js';
import { createStageJudge, type StageVerdict, type TrainedCascade, writeCascade } from './trained-cascade.js';

/** What a cascade's answer carries in `raw`: every stage tried, its verdict, and the answering stage's raw. */
export type CascadeRecord = {
  readonly cascade: {
    readonly stages: readonly {
      readonly model: string;
      readonly score?: number | undefined;
      readonly threshold?: number | undefined;
      readonly accepted: boolean;
    }[];
    /** Index of the stage whose answer was kept. */
    readonly answeredAt: number;
  };
  readonly raw: unknown;
};

export type CascadeChatModelOptions = {
  readonly cascade: TrainedCascade;
  /** One live model per stage, in the cascade's order. */
  readonly models: readonly ChatModel[];
  /** The embedder the cascade was trained with (its id is checked). */
  readonly embedder: Embedder;
  /** Names the cascade in caches (e.g. a hash of its file): two cascades over the same models differ by it. */
  readonly fingerprint?: string | undefined;
};

/**
 * A FrugalGPT cascade as a live ChatModel: each stage's model answers in turn (cheapest first) until a stage's
 * acceptance table scores the prompt (the last user turn) and its answer at or above the stage's threshold;
 * the last stage's answer is always kept. Every stage tried is a call of its own: traced through `mapInner`,
 * each is its own span with its own model's exact price, so the cascade's cost is their sum. Streaming asks the
 * earlier stages whole (their answers must be read before deciding) and streams the last stage as it comes.
 */
export function createCascadeChatModel(options: CascadeChatModelOptions): ChatModel {
  const { cascade, models } = options;
  if (models.length !== cascade.stages.length) {
    throw new FrugalError(
      `the cascade has ${cascade.stages.length} stages (${cascade.stages.join(' → ')}) but ${models.length} models were given`,
    );
  }
  const judge = createStageJudge(cascade, options.embedder);
  const fingerprint =
    options.fingerprint ?? createHash('sha256').update(writeCascade(cascade)).digest('hex').slice(0, 16);
  const build = (stages: readonly ChatModel[]): ChatModel => {
    const last = stages.length - 1;
    /** Runs the stages before the last; returns the kept answer, or undefined to ask the last stage. */
    const early = async (
      request: GenerateRequest,
      tried: CascadeRecord['cascade']['stages'][number][],
    ): Promise<{ result: GenerateResult; stage: number } | undefined> => {
      const prompt = replayPrompt(request);
      for (let stage = 0; stage < last; stage++) {
        const result = await stages[stage]!.generate(request);
        const verdict: StageVerdict = await judge(stage, prompt, result.text, request.signal);
        tried.push({ model: stages[stage]!.id, ...verdict });
        if (verdict.accepted) return { result, stage };
      }
      return undefined;
    };
    const finish = (
      result: GenerateResult,
      stage: number,
      tried: CascadeRecord['cascade']['stages'][number][],
      latencyMs: number,
    ): GenerateResult => {
      if (stage === last) tried.push({ model: stages[last]!.id, accepted: true });
      const raw: CascadeRecord = { cascade: { stages: tried, answeredAt: stage }, raw: result.raw };
      return { ...result, latencyMs, simulated: stages.some((model) => model.simulated), raw };
    };
    return {
      id: `cascade/${stages.map((model) => model.id).join('>')}`,
      provider: 'cascade',
      model: cascade.stages.join('>'),
      simulated: stages.some((model) => model.simulated),
      endpoint: `cascade:${fingerprint}`,
      mapInner: (wrap) => build(stages.map(wrap)),
      async generate(request) {
        const began = performance.now();
        const tried: CascadeRecord['cascade']['stages'][number][] = [];
        const kept = await early(request, tried);
        const { result, stage } = kept ?? { result: await stages[last]!.generate(request), stage: last };
        return finish(result, stage, tried, performance.now() - began);
      },
      async *stream(request): AsyncIterable<StreamPart> {
        const began = performance.now();
        const tried: CascadeRecord['cascade']['stages'][number][] = [];
        const kept = await early(request, tried);
        if (kept !== undefined) {
          if (kept.result.text !== '') yield { type: 'text-delta', text: kept.result.text };
          const latencyMs = performance.now() - began;
          yield {
            type: 'finish',
            result: { ...finish(kept.result, kept.stage, tried, latencyMs), timeToFirstTokenMs: latencyMs },
          };
          return;
        }
        let firstTokenMs: number | undefined;
        for await (const part of stages[last]!.stream(request)) {
          if (part.type === 'text-delta') {
            firstTokenMs ??= performance.now() - began;
            yield part;
          } else {
            const result = finish(part.result, last, tried, performance.now() - began);
            yield { type: 'finish', result: { ...result, timeToFirstTokenMs: firstTokenMs } };
          }
        }
      },
    };
  };
  return build(models);
}
