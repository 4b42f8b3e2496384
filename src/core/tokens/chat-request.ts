import { z } from 'zod';
import { ConfigError } from '../errors.js';

const functionCall = z.object({ name: z.string(), arguments: z.string() });

const contentPart = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.looseObject({
    type: z.string().refine((type) => type !== 'text', "a 'text' part needs a string 'text'"),
  }),
]);

/** An OpenAI chat message, as sent on the wire: only the fields that cost prompt tokens are read. */
export const chatMessageSchema = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.null(), z.array(contentPart)]).optional(),
  name: z.string().optional(),
  tool_calls: z
    .array(z.looseObject({ id: z.string().optional(), type: z.string().optional(), function: functionCall }))
    .optional(),
  function_call: functionCall.optional(),
  tool_call_id: z.string().optional(),
});

/** A function the model may call; `parameters` is a JSON Schema object. */
export const chatFunctionSchema = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

/** A tool as in `tools: [{ type: 'function', function: {...} }]`; a bare function (legacy `functions`) too. */
export const chatToolSchema = z.union([
  z.looseObject({ type: z.literal('function'), function: chatFunctionSchema }),
  chatFunctionSchema,
]);

/** One chat message (see {@link chatMessageSchema}). */
export type ChatMessage = z.infer<typeof chatMessageSchema>;
/** One tool or legacy function definition (see {@link chatToolSchema}). */
export type ChatTool = z.infer<typeof chatToolSchema>;
/** What `countChatTokens` reads of a chat request. */
export type ChatRequest = { readonly messages: readonly ChatMessage[]; readonly tools: readonly ChatTool[] };

const requestSchema = z.looseObject({
  messages: z.array(chatMessageSchema),
  tools: z.array(chatToolSchema).optional(),
  functions: z.array(chatFunctionSchema).optional(),
});

/** `['messages', 2, 'content']` → `messages[2].content`. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index ? '.' : ''}${String(key)}`))
    .join('');
}

/**
 * Validates a parsed JSON document as a chat request: an array of messages, or `{ messages, tools }` (or
 * legacy `functions`). Throws a ConfigError naming the file, the path inside it and what was wrong.
 */
export function parseChatRequest(value: unknown, file: string): ChatRequest {
  const isArray = Array.isArray(value);
  if (!isArray && (typeof value !== 'object' || value === null)) {
    throw new ConfigError(
      file,
      '',
      'expected a JSON array of chat messages or an object { messages, tools }',
    );
  }
  const result = isArray ? z.array(chatMessageSchema).safeParse(value) : requestSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const unionProblem = path.includes('tools')
      ? "expected a tool: { type: 'function', function: { name, description?, parameters? } }"
      : 'expected a string, null or an array of content parts ({ type: "text", text } or another { type })';
    const problem = issue?.code === 'invalid_union' ? unionProblem : issue?.message;
    throw new ConfigError(file, pathText(path), problem ?? 'invalid chat request');
  }
  if (Array.isArray(result.data)) return { messages: result.data, tools: [] };
  const request = result.data as z.infer<typeof requestSchema>;
  return { messages: request.messages, tools: [...(request.tools ?? []), ...(request.functions ?? [])] };
}
