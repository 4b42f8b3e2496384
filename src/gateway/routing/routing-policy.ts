import type { Attribution } from '../../core/spans/span.js';
import type { StageVerdict } from '../../optimize/cascade/trained-cascade.js';

/** What a routing policy sees of a request before it is sent. */
export type RoutingRequest = {
  /** `chat` (OpenAI chat completions), `messages` (Anthropic) or `embeddings`. */
  readonly route: 'chat' | 'messages' | 'embeddings';
  /** The public model name the client asked for (may be a policy's own alias, e.g. `frugal/auto`). */
  readonly model: string;
  /** The request body as the client sent it (do not modify). */
  readonly body: Readonly<Record<string, unknown>>;
  readonly attribution: Attribution;
  /** The public model names the gateway serves. */
  readonly models: readonly string[];
};

/**
 * A cascade to serve the request through: the public model names tried in order, and the judge that keeps or
 * escalates each stage's answer (the last stage's answer is always kept).
 */
export type CascadeRoute = {
  readonly stages: readonly string[];
  judge(stage: number, answer: string, signal?: AbortSignal): Promise<StageVerdict>;
  /** Recorded on every stage's span. */
  readonly reason: string;
};

/**
 * A policy's answer: the public model name to serve the request with, and why (recorded on the span) — or a
 * cascade, whose first stage is `model`.
 */
export type RoutingDecision = {
  readonly model: string;
  readonly reason?: string | undefined;
  readonly cascade?: CascadeRoute | undefined;
};

/**
 * A pluggable routing policy (a learned router, a rule table): given the request, it names the public model
 * that answers it, or returns undefined to keep the one asked for. Registered by name with `createGateway`
 * and chosen by `gateway.router.policy`. The gateway then balances, retries and falls back among that name's
 * deployments as usual, and records the decision on the span (`frugal.route.*`).
 */
export interface RoutingPolicy {
  route(request: RoutingRequest): RoutingDecision | undefined | Promise<RoutingDecision | undefined>;
}
