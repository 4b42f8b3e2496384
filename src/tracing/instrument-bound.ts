import type { ChatMessage, ChatTool } from '../core/tokens/chat-request.js';
import { countChatTokens, countTokens } from '../core/tokens/count-tokens.js';
import { requestModel } from './instrument-attributes.js';
import { promptText } from './instrument-estimate.js';
import type { LlmCallBound } from './tracer.js';

const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;

/**
 * What budgets need of a request before it is sent: its model, its prompt counted with the model's tokenizer
 * (chat messages by OpenAI's per-message rule, Anthropic's `system` as one more message; any other prompt field
 * as text) and its output cap (`max_completion_tokens`, `max_tokens`, `max_output_tokens`; 0 for embeddings).
 * If counting fails, the body's UTF-8 size stands in: no tokenizer makes more tokens than bytes.
 */
export async function requestBound(
  body: Readonly<Record<string, unknown>>,
  embedding: boolean,
): Promise<LlmCallBound> {
  const model = requestModel(body);
  const maxOutputTokens = embedding
    ? 0
    : (positive(body['max_completion_tokens']) ??
      positive(body['max_tokens']) ??
      positive(body['max_output_tokens']));
  const bound = (promptTokens: number, promptExact: boolean): LlmCallBound => ({
    requestModel: model,
    promptTokens,
    promptExact,
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
  });
  try {
    const messages = body['messages'];
    if (Array.isArray(messages)) {
      const system = body['system'];
      const all =
        system === undefined ? messages : [{ role: 'system', content: promptText(system) }, ...messages];
      const tools = Array.isArray(body['tools']) ? (body['tools'] as unknown[]) : [];
      const openAITools = tools.every(
        (tool) => typeof tool === 'object' && tool !== null && 'function' in tool,
      );
      if (openAITools) {
        const counted = await countChatTokens(all as ChatMessage[], { model, tools: tools as ChatTool[] });
        return bound(counted.tokens, counted.exact);
      }
      // Other tool shapes (Anthropic's) count as their JSON text plus the tool-use system prompt Anthropic
      // documents adding (up to 346 tokens), rounded up.
      const withTools = [...all, { role: 'system', content: JSON.stringify(tools) }];
      const counted = await countChatTokens(withTools as ChatMessage[], { model });
      return bound(counted.tokens + 400, counted.exact);
    }
    const text = promptText([body['instructions'], body['input'], body['prompt'], body['tools']]);
    const counted = await countTokens(text, { model });
    return bound(counted.tokens, counted.exact);
  } catch {
    return bound(Buffer.byteLength(JSON.stringify(body)), true);
  }
}
