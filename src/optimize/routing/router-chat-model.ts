import { createHash } from 'node:crypto';
import type { ChatModel, GenerateRequest, GenerateResult } from '../../providers/chat-model.js';
import type { Embedder } from '../embedder.js';
import { replayPrompt } from '../replay/replay-chat-model.js';
import type { LearnedRouter } from './learned-router.js';
import { createPromptRouter } from './route-prompt.js';
import { writeRouter } from './router-file.js';

/** What a routed answer carries in `raw`: where the prompt went and why, and the answering model's raw. */
export type RouteRecord = {
  readonly route: { readonly model: string; readonly score: number; readonly reason: string };
  readonly raw: unknown;
};

export type RouterChatModelOptions = {
  readonly router: LearnedRouter;
  /** The live models the router's `strong` and `weak` names stand for. */
  readonly strong: ChatModel;
  readonly weak: ChatModel;
  /** The embedder the router was trained with (its id is checked). */
  readonly embedder: Embedder;
  /** Names the router in caches (e.g. a hash of its file). */
  readonly fingerprint?: string | undefined;
};

/**
 * A learned router as a live ChatModel: each request's prompt (its last user turn) is scored, and the strong
 * or the weak model answers it. Traced through `mapInner`, the call is a span of the model that answered,
 * priced at that model's price.
 */
export function createRouterChatModel(options: RouterChatModelOptions): ChatModel {
  const route = createPromptRouter(options.router, options.embedder);
  const fingerprint =
    options.fingerprint ??
    createHash('sha256').update(writeRouter(options.router)).digest('hex').slice(0, 16);
  const build = (strong: ChatModel, weak: ChatModel): ChatModel => {
    const pick = async (request: GenerateRequest) => {
      const decision = await route(replayPrompt(request), request.signal);
      return { decision, model: decision.model === options.router.strong ? strong : weak };
    };
    const record = (result: GenerateResult, decision: RouteRecord['route']): GenerateResult => ({
      ...result,
      raw: { route: decision, raw: result.raw } satisfies RouteRecord,
    });
    return {
      id: `router/${strong.id}|${weak.id}`,
      provider: 'router',
      model: `${options.router.strong}|${options.router.weak}`,
      simulated: strong.simulated || weak.simulated,
      endpoint: `router:${fingerprint}`,
      mapInner: (wrap) => build(wrap(strong), wrap(weak)),
      async generate(request) {
        const { decision, model } = await pick(request);
        return record(await model.generate(request), decision);
      },
      async *stream(request) {
        const { decision, model } = await pick(request);
        for await (const part of model.stream(request)) {
          yield part.type === 'finish' ? { type: 'finish', result: record(part.result, decision) } : part;
        }
      },
    };
  };
  return build(options.strong, options.weak);
}
