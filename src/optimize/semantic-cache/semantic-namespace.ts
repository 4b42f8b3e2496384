import { createHash } from 'node:crypto';
import type { GenerateRequest } from '../../providers/chat-model.js';

/**
 * Everything besides the question's meaning that decides an answer. Two questions are compared only when all
 * of it is equal, so an answer never crosses models, system prompts, parameters or conversations.
 */
export type SemanticNamespaceParts = {
  /** The public model name the client asked for (not where a router sent it). */
  readonly model: string;
  /** The system prompt ('' when none). */
  readonly system: string;
  /** Sampling and output parameters (temperature, top_p, max tokens, stop, seed, response format...). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The turns before the question, in a conversation; empty for a first question. */
  readonly context?: readonly unknown[] | undefined;
  /** An optional partition, e.g. a tenant: scopes never share entries. */
  readonly scope?: string | undefined;
};

/** JSON with object keys sorted at every depth and undefined properties dropped. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The namespace key: `sc1:` + SHA-256 of the canonical JSON of the embedder id and the parts. The embedder is
 * in it because vectors of two embedders are not comparable, even at the same length.
 */
export function semanticNamespace(embedderId: string, parts: SemanticNamespaceParts): string {
  const keyed = canonicalJson([
    embedderId,
    parts.model,
    parts.system,
    parts.parameters,
    parts.context ?? [],
    parts.scope ?? null,
  ]);
  return `sc1:${createHash('sha256').update(keyed).digest('hex')}`;
}

/** A chat request split into the question to embed and the namespace it is looked up in. */
export type ChatSemanticKey = { readonly parts: SemanticNamespaceParts; readonly text: string };

/**
 * The semantic key of a chat request to `model`: the text is the last turn, which must be the user's; system
 * turns form the system prompt; the other earlier turns are the context; every generation parameter goes into
 * the namespace (the signal does not). Undefined when the last turn is not a user turn (nothing to look up).
 */
export function chatSemanticKey(request: GenerateRequest, model: string): ChatSemanticKey | undefined {
  const last = request.messages.at(-1);
  if (last === undefined || last.role !== 'user') return undefined;
  const earlier = request.messages.slice(0, -1);
  const { signal: _signal, messages: _messages, ...parameters } = request;
  return {
    text: last.content,
    parts: {
      model,
      system: earlier
        .filter((turn) => turn.role === 'system')
        .map((turn) => turn.content)
        .join('\n\n'),
      parameters,
      context: earlier.filter((turn) => turn.role !== 'system'),
    },
  };
}
