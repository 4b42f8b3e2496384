import type { AttributeValue } from '../core/spans/span.js';
import type { ChatMessage, ChatTool } from '../core/tokens/chat-request.js';
import { countChatTokens, countTokens } from '../core/tokens/count-tokens.js';
import type { Usage } from '../core/usage.js';
import type { LlmSpanEnd } from './tracer.js';

/** Keys whose string values are not prompt text (ids, roles, types, media). */
const notText = new Set([
  'type',
  'role',
  'id',
  'call_id',
  'tool_call_id',
  'cache_control',
  'image_url',
  'url',
  'data',
  'detail',
  'media_type',
]);

/** The text inside a request value (messages, input items, system blocks), for counting. */
export function promptText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(promptText).filter(Boolean).join('\n');
  if (typeof value !== 'object' || value === null) return '';
  return Object.entries(value)
    .filter(([key]) => !notText.has(key))
    .map(([, inner]) => promptText(inner))
    .filter(Boolean)
    .join('\n');
}

/** What an estimate is made from: the model, the prompt (chat messages, or any request value) and the answer. */
export type EstimateInput = {
  readonly model: string;
  /** OpenAI chat messages: counted with OpenAI's per-message rule (see core `countChatTokens`). */
  readonly messages?: unknown;
  readonly tools?: unknown;
  /** Anything else that holds the prompt (Responses `input`, Anthropic `system` + `messages`): its text. */
  readonly prompt?: unknown;
  readonly output: string;
};

/**
 * Usage counted by frugal for a call whose provider reported none (a stream cut short, a server that never
 * sends usage): input and output only, with the model's tokenizer (an estimate for models without a public
 * one). Spans carrying it are marked `usageEstimated`.
 */
export async function estimateUsage(input: EstimateInput): Promise<Usage> {
  const options = { model: input.model };
  let prompt: number | undefined;
  if (Array.isArray(input.messages)) {
    try {
      const tools = Array.isArray(input.tools) ? (input.tools as ChatTool[]) : [];
      prompt = (await countChatTokens(input.messages as ChatMessage[], { ...options, tools })).tokens;
    } catch {
      prompt = undefined;
    }
  }
  prompt ??= (await countTokens(promptText(input.prompt ?? input.messages), options)).tokens;
  const output = input.output === '' ? 0 : (await countTokens(input.output, options)).tokens;
  return { input: prompt, output };
}

/** What is known of an answer when its call ends. */
export type KnownAnswer = {
  readonly usage: Usage | undefined;
  readonly model: string | undefined;
  /** The generated text, for counting when no usage was reported. */
  readonly text: string;
};

/**
 * The span's end for an answer: at once when the provider reported usage; otherwise once the prompt (`request`)
 * and the generated text are counted, marked `usageEstimated`.
 */
export function endOrEstimate(
  known: KnownAnswer,
  attributes: Readonly<Record<string, AttributeValue>>,
  request: Omit<EstimateInput, 'output'>,
): LlmSpanEnd | Promise<LlmSpanEnd> {
  const base = { ...(known.model === undefined ? {} : { responseModel: known.model }), attributes };
  if (known.usage !== undefined) return { ...base, usage: known.usage };
  return estimateUsage({ ...request, model: known.model ?? request.model, output: known.text }).then(
    (usage) => ({
      ...base,
      usage,
      usageEstimated: true,
    }),
  );
}
