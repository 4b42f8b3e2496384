import { FrugalError, ProviderError } from '../../core/errors.js';
import type { ChatModel, GenerateRequest, GenerateResult } from '../../providers/chat-model.js';
import type { OutcomeQuery, OutcomeSet } from '../outcomes/outcome-set.js';

/** What a replayed answer carries in `raw`: which recorded outcome it is, and the score it was given. */
export type ReplayRecord = {
  readonly replay: {
    readonly outcomes: string;
    readonly id: string;
    readonly model: string;
    readonly score: number;
  };
};

/** The prompt a request is looked up by: its last user turn, trimmed. */
export function replayPrompt(request: Pick<GenerateRequest, 'messages'>): string {
  const user = request.messages.findLast((turn) => turn.role === 'user');
  return (user?.content ?? '').trim();
}

/**
 * `replay/<model>`: answers from recorded outcomes instead of calling a model. A request is matched to a
 * recorded query by its last user turn (trimmed, exactly); the answer is the recorded response (or, where only
 * a score was recorded, a line saying so) with the recorded token counts, so routers and cascades run through
 * the evaluation and gateway paths offline with real models' outcomes and costs. Labelled simulated: it is a
 * recording, never a live answer. A prompt with no recording is an error naming the outcome set.
 */
export function createReplayChatModel(set: OutcomeSet, model: string): ChatModel {
  if (!set.models.includes(model)) {
    throw new FrugalError(
      `replay: '${model}' is not in outcomes '${set.name}' (models: ${set.models.join(', ')})`,
    );
  }
  const byPrompt = new Map<string, OutcomeQuery>();
  for (const query of set.queries)
    if (!byPrompt.has(query.prompt.trim())) byPrompt.set(query.prompt.trim(), query);
  const answer = (request: GenerateRequest): GenerateResult => {
    request.signal?.throwIfAborted();
    const query = byPrompt.get(replayPrompt(request));
    if (query === undefined) {
      // Like an upstream that cannot answer: a provider error (a gateway replies 502), not worth a retry.
      throw new ProviderError(
        'replay',
        { code: 'not_recorded', retryable: false },
        `replay/${model}: no recorded outcome in '${set.name}' for this prompt`,
      );
    }
    const outcome = query.outcomes[model]!;
    const raw: ReplayRecord = { replay: { outcomes: set.name, id: query.id, model, score: outcome.score } };
    return {
      text: outcome.response ?? `[replayed outcome ${set.name}#${query.id}: score ${outcome.score}]`,
      usage: { input: outcome.inputTokens, output: outcome.outputTokens },
      finishReason: 'stop',
      responseModel: model,
      latencyMs: 0,
      simulated: true,
      raw,
    };
  };
  return {
    id: `replay/${model}`,
    provider: 'replay',
    model,
    simulated: true,
    async generate(request) {
      return answer(request);
    },
    async *stream(request) {
      const result = answer(request);
      if (result.text !== '') yield { type: 'text-delta', text: result.text };
      yield { type: 'finish', result: { ...result, timeToFirstTokenMs: 0 } };
    },
  };
}
