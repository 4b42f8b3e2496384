import { gatewayError } from './gateway-reply.js';

/** Which LLM route a body is for. */
export type LlmRouteName = 'chat' | 'messages' | 'embeddings';

const describe = (value: unknown) =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'string'
        ? 'a string'
        : typeof value;

const bad = (param: string, expected: string, found: unknown) =>
  gatewayError(400, 'invalid_request', `Invalid '${param}': expected ${expected}, found ${describe(found)}`, {
    param,
  });

/**
 * Parses and checks a request body far enough to route, account and cache it: a JSON object with a model, the
 * route's required fields with the right types, and sane sampling and output limits. Everything else is left
 * to the upstream, which answers for its own parameters.
 */
export function parseLlmBody(raw: Buffer, route: LlmRouteName): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw gatewayError(
      400,
      'invalid_json',
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw gatewayError(
      400,
      'invalid_request',
      `The request body must be a JSON object, found ${describe(body)}`,
    );
  }
  const fields = body as Record<string, unknown>;
  const model = fields['model'];
  if (typeof model !== 'string' || model.trim() === '') throw bad('model', 'a model name', model);
  if (route === 'embeddings') {
    const input = fields['input'];
    const ok =
      (typeof input === 'string' && input !== '') ||
      (Array.isArray(input) &&
        input.length > 0 &&
        input.every((item) => typeof item === 'string' || Array.isArray(item)));
    if (!ok) throw bad('input', 'a string or a non-empty list of strings or token lists', input);
    return fields;
  }
  const messages = fields['messages'];
  if (!Array.isArray(messages) || messages.length === 0)
    throw bad('messages', 'a non-empty list of messages', messages);
  for (const [index, message] of messages.entries()) {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw bad(`messages[${index}]`, 'a message object', message);
    }
    const role = (message as { role?: unknown }).role;
    if (typeof role !== 'string')
      throw bad(`messages[${index}].role`, 'a role such as user or assistant', role);
  }
  const stream = fields['stream'];
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean')
    throw bad('stream', 'true or false', stream);
  for (const name of ['max_tokens', 'max_completion_tokens']) {
    const value = fields[name];
    if (value !== undefined && value !== null && !(Number.isSafeInteger(value) && (value as number) > 0)) {
      throw bad(name, 'a whole number of tokens ≥ 1', value);
    }
  }
  if (route === 'messages' && fields['max_tokens'] === undefined) {
    throw bad('max_tokens', 'a whole number of tokens ≥ 1 (the Messages API requires it)', undefined);
  }
  for (const name of ['temperature', 'top_p']) {
    const value = fields[name];
    if (
      value !== undefined &&
      value !== null &&
      (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    ) {
      throw bad(name, 'a number ≥ 0', value);
    }
  }
  return fields;
}
