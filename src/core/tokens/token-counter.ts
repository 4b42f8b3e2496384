import type { ChatMessage, ChatTool } from './chat-request.js';
import { countChatWith } from './count-chat-with.js';
import { countSafely, defaultMaxRunLength } from './count-safely.js';
import {
  type CountText,
  loadTokenizer,
  type TokenizerImporter,
  tokenizerPackages,
} from './load-tokenizer.js';
import type { TokenCount, TokenizerName } from './token-count.js';
import { type TokenizerChoice, tokenizerForModel } from './tokenizer-for-model.js';

/** Options shared by every counting call. */
export type TokenCounterOptions = {
  /** Runs of one character class longer than this are cut before counting (see `defaultMaxRunLength`). */
  readonly maxRunLength?: number;
  /** Replaces how a tokenizer is loaded: for tests, or a build that ships vocabularies differently. */
  readonly importers?: Partial<Record<TokenizerName, TokenizerImporter>>;
};

/** A model's loaded tokenizer: counting is synchronous from here on. */
export type TokenCounter = {
  readonly model: string | null;
  readonly encoding: TokenizerName;
  /** Tokens of plain text. */
  readonly count: (text: string) => TokenCount;
  /** Prompt tokens of a chat request (messages and tool definitions), in OpenAI's chat format. */
  readonly countChat: (messages: readonly ChatMessage[], tools?: readonly ChatTool[]) => TokenCount;
};

const openAiEncodings: readonly TokenizerName[] = ['o200k_base', 'cl100k_base'];

async function chooseAndLoad(
  model: string | undefined,
  importers: TokenCounterOptions['importers'],
): Promise<{ choice: TokenizerChoice; countText: CountText }> {
  const choice = tokenizerForModel(model);
  try {
    return { choice, countText: await loadTokenizer(choice.encoding, importers?.[choice.encoding]) };
  } catch (error) {
    if (openAiEncodings.includes(choice.encoding)) throw error;
    // An optional vocabulary package that is not installed: say so and fall back to the o200k stand-in.
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const note = `${tokenizerPackages[choice.encoding]} could not be loaded (${reason}): o200k_base stand-in`;
    const fallback: TokenizerChoice = { model: choice.model, encoding: 'o200k_base', exact: false, note };
    return { choice: fallback, countText: await loadTokenizer('o200k_base', importers?.o200k_base) };
  }
}

/**
 * Loads the tokenizer for `model` (lazily: only the vocabulary it needs) and returns a synchronous counter.
 * Never throws for an unknown model: it gets an o200k_base estimate that says so.
 */
export async function loadTokenCounter(
  model: string | undefined,
  options: TokenCounterOptions = {},
): Promise<TokenCounter> {
  const maxRunLength = options.maxRunLength ?? defaultMaxRunLength;
  if (!Number.isSafeInteger(maxRunLength) || maxRunLength < 1) {
    throw new RangeError(`maxRunLength must be a positive integer, got ${maxRunLength}`);
  }
  const { choice, countText } = await chooseAndLoad(model, options.importers);
  const plain = choice.note === undefined ? {} : { note: choice.note };
  const result = (tokens: number, cutRuns: number, approximations: readonly string[]): TokenCount => {
    if (cutRuns === 0 && approximations.length === 0) {
      return { model: choice.model, encoding: choice.encoding, tokens, exact: choice.exact, ...plain };
    }
    const notes = [
      ...(choice.note === undefined ? [] : [choice.note]),
      ...(cutRuns > 0
        ? [
            `${cutRuns} run(s) longer than ${maxRunLength} characters were cut before counting (untrusted-input guard)`,
          ]
        : []),
      ...approximations,
    ];
    return { model: choice.model, encoding: choice.encoding, tokens, exact: false, note: notes.join('; ') };
  };
  return {
    model: choice.model,
    encoding: choice.encoding,
    count: (text) => {
      const { tokens, cutRuns } = countSafely(text, countText, maxRunLength);
      return result(tokens, cutRuns, []);
    },
    countChat: (messages, tools = []) => {
      let cutRuns = 0;
      const guarded: CountText = (text) => {
        const counted = countSafely(text, countText, maxRunLength);
        cutRuns += counted.cutRuns;
        return counted.tokens;
      };
      const { tokens, approximations } = countChatWith({ messages, tools }, guarded);
      const format = openAiEncodings.includes(choice.encoding)
        ? approximations
        : [
            ...approximations,
            "message overhead follows OpenAI's chat format, not this model's chat template",
          ];
      return result(tokens, cutRuns, format);
    },
  };
}
