import type { AttributeValue } from '../core/spans/span.js';

/** Request fields shared by the chat APIs, with their OpenTelemetry GenAI attribute names. */
export const commonRequestFields: Readonly<Record<string, string>> = {
  temperature: 'gen_ai.request.temperature',
  top_p: 'gen_ai.request.top_p',
  top_k: 'gen_ai.request.top_k',
  max_tokens: 'gen_ai.request.max_tokens',
  max_completion_tokens: 'gen_ai.request.max_tokens',
  max_output_tokens: 'gen_ai.request.max_tokens',
  frequency_penalty: 'gen_ai.request.frequency_penalty',
  presence_penalty: 'gen_ai.request.presence_penalty',
  seed: 'gen_ai.request.seed',
  n: 'gen_ai.request.choice.count',
  stop: 'gen_ai.request.stop_sequences',
  stop_sequences: 'gen_ai.request.stop_sequences',
};

/**
 * The request parameters present in `body` as OpenTelemetry attributes: numbers and booleans as they are,
 * a string or strings as a string array (stop sequences). Other shapes are left out.
 */
export function requestAttributes(
  body: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, string>> = commonRequestFields,
): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const field in fields) {
    const name = fields[field]!;
    const value = body[field];
    if (typeof value === 'number' || typeof value === 'boolean') attributes[name] = value;
    else if (typeof value === 'string') attributes[name] = [value];
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      attributes[name] = value;
  }
  return attributes;
}

/** `gen_ai.response.id` and `gen_ai.response.finish_reasons`, for what is known of them. */
export function responseAttributes(
  id: unknown,
  finishReasons: readonly (string | null | undefined)[],
): Record<string, AttributeValue> {
  const reasons = finishReasons.filter(
    (reason): reason is string => typeof reason === 'string' && reason !== '',
  );
  // Assigned, not spread: this runs for every gateway call.
  const attributes: Record<string, AttributeValue> = {};
  if (typeof id === 'string') attributes['gen_ai.response.id'] = id;
  if (reasons.length > 0) attributes['gen_ai.response.finish_reasons'] = reasons;
  return attributes;
}

/** The request's model name, or `unknown` when it sent none (the SDK will refuse the call anyway). */
export function requestModel(body: Readonly<Record<string, unknown>>): string {
  return typeof body['model'] === 'string' ? body['model'] : 'unknown';
}
