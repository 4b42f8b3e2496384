import { FrugalError } from '../../core/errors.js';
import { loadTokenCounter, type TokenCounter } from '../../core/tokens/token-counter.js';
import type { FinishReason, GenerateRequest, GenerateResult } from '../chat-model.js';
import { parseJudgeRequest } from './judge-request.js';
import { judgeVerdict } from './judge-verdict.js';
import { findKnowledge, type KnowledgeEntry } from './knowledge-match.js';
import { isMalformedCall, type MalformedInjection, malformedReply } from './malformed-reply.js';
import { createSeededRandom, hashParts } from './seeded-random.js';
import { simulatedAnswer } from './simulated-answer.js';
import type { SimulatorProfile } from './simulator-profiles.js';
import { truncateToTokens } from './truncate-to-tokens.js';

/** What a simulated call needs besides its profile. */
export type PlanOptions = {
  readonly seed: number;
  readonly knowledge: readonly KnowledgeEntry[];
  readonly malformed?: MalformedInjection | undefined;
};

/** A simulated call worked out in full; the model then waits (or not) and returns or streams it. */
export type PlannedCall = { readonly result: GenerateResult; readonly timeToFirstTokenMs: number };

let counter: Promise<TokenCounter> | undefined;
/** o200k_base, loaded once: simulated token counts are real counts of the simulated text. */
const tokenCounter = () => {
  counter ??= loadTokenCounter(undefined);
  return counter;
};

function cutAtStop(text: string, stops: readonly string[]): string | undefined {
  const positions = stops.filter((stop) => stop !== '').map((stop) => text.indexOf(stop));
  const first = Math.min(...positions.filter((position) => position >= 0));
  return Number.isFinite(first) ? text.slice(0, first) : undefined;
}

/**
 * Works out call number `callNumber` of `profile` for `request`: the text (a judge's JSON verdict when the
 * prompt has a ```frugal-judge block, else a simulated answer), drawn from hash(seed, model, prompt); usage
 * counted with the o200k tokenizer; latency = first token + per token × output tokens, ± jitter.
 */
export async function planSimulatedCall(
  profile: SimulatorProfile,
  options: PlanOptions,
  request: GenerateRequest,
  callNumber: number,
): Promise<PlannedCall> {
  const maxOutput = request.maxOutputTokens ?? profile.maxOutputTokens;
  if (!(Number.isSafeInteger(maxOutput) && maxOutput > 0)) {
    throw new FrugalError(`${profile.model}: maxOutputTokens must be a positive integer, got ${maxOutput}`);
  }
  const seed = request.seed ?? options.seed;
  const prompt = request.messages.map((turn) => `${turn.role}: ${turn.content}`).join('\n');
  const random = createSeededRandom(seed, profile.model, prompt);
  const judgeRequest = parseJudgeRequest(prompt);
  let text: string;
  let malformed = false;
  if (judgeRequest) {
    text = JSON.stringify(judgeVerdict(judgeRequest));
    malformed = isMalformedCall(options.malformed, seed, callNumber);
    if (malformed) text = malformedReply(text, callNumber);
  } else {
    const question = request.messages.findLast((turn) => turn.role === 'user')?.content ?? '';
    text = simulatedAnswer(question, findKnowledge(question, options.knowledge), profile, random);
  }
  let finishReason: FinishReason = 'stop';
  text = cutAtStop(text, request.stop ?? []) ?? text;
  const count = await tokenCounter();
  const countText = (part: string) => count.count(part).tokens;
  const truncated = truncateToTokens(text, maxOutput, countText);
  if (truncated !== text) {
    text = truncated;
    finishReason = 'length';
  }
  const output = countText(text);
  const input = count.countChat(
    request.messages.map((turn) => ({ role: turn.role, content: turn.content })),
  ).tokens;
  const factor = 1 + profile.jitter * (2 * random.next() - 1);
  const timeToFirstTokenMs = Math.round(profile.timeToFirstTokenMs * factor);
  const latencyMs = Math.round((profile.timeToFirstTokenMs + profile.msPerOutputToken * output) * factor);
  const raw = {
    simulated: true,
    profile: { model: profile.model, skill: profile.skill, description: profile.description },
    call: callNumber,
    ...(judgeRequest ? { judge: judgeRequest.scorer, malformed } : {}),
  };
  const result: GenerateResult = {
    text,
    usage: { input, output },
    finishReason,
    responseModel: profile.model,
    latencyMs,
    requestId: `sim-${hashParts(seed, profile.model, prompt).toString(16)}-${callNumber}`,
    simulated: true,
    raw,
  };
  return { result, timeToFirstTokenMs };
}
