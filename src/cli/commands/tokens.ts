import { ConfigError } from '../../core/errors.js';
import { parseChatRequest } from '../../core/tokens/chat-request.js';
import type { TokenCount } from '../../core/tokens/token-count.js';
import { loadTokenCounter } from '../../core/tokens/token-counter.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const help = `usage: frugal tokens [--model M] [--messages] [--json] [FILE|-]

Counts the tokens of a text file, or of standard input ('-', the default), for a model.

  --model M    a model (gpt-4o, openai/gpt-4.1, claude-sonnet-4, llama-3.1-8b, deepseek-chat...)
               or an encoding (o200k_base, cl100k_base, llama3, mistral_v1, deepseek_v3, qwen3);
               without it, o200k_base tokens are counted
  --messages   the input is a JSON array of chat messages, or { messages, tools }: counts the
               request's prompt tokens in OpenAI's chat format (3 per message, 1 per name,
               3 to prime the reply, tool definitions as OpenAI renders them)
  --json       print { model, encoding, tokens, exact, note? }

Exact for OpenAI models, Llama 3.x, DeepSeek-V3/R1, Qwen 2.5/3 and Mistral 7B / Mixtral 8x7B.
Other models (Claude, Gemini, unknown names) get an estimate labelled exact: false, with a note
saying why. Runs of over 500 letters, symbols or spaces are cut before counting, so that hostile
input cannot stall the count; such a count is labelled an estimate too.
`;

const options = {
  model: { type: 'string' },
  messages: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** One line for people: `124 tokens for gpt-4o (o200k_base, exact)`. */
function summary(count: TokenCount): string {
  const tokens = `${count.tokens.toLocaleString('en-US')} token${count.tokens === 1 ? '' : 's'}`;
  const model = count.model === null ? '' : ` for ${count.model}`;
  const verdict = count.exact ? 'exact' : `estimate: ${count.note ?? 'no exact tokenizer'}`;
  return `${tokens}${model} (${count.encoding}, ${verdict})`;
}

/** `frugal tokens`: counts tokens of text or of a chat request for a model. */
export const tokensCommand: Command = {
  name: 'tokens',
  summary: 'count tokens in text or chat messages',
  help,
  run: async (args, io) => {
    const { values, positionals } = parseCommandArgs('tokens', args, options, { maxPositionals: 1 });
    const file = positionals[0] ?? '-';
    const text = await io.readText(file);
    const counter = await loadTokenCounter(values.model);
    let count: TokenCount;
    if (values.messages) {
      const where = file === '-' ? 'standard input' : file;
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new ConfigError(where, '', `malformed JSON: ${reason}`, { cause: error });
      }
      const request = parseChatRequest(document, where);
      count = counter.countChat(request.messages, request.tools);
    } else {
      count = counter.count(text);
    }
    io.stdout(`${values.json ? JSON.stringify(count) : summary(count)}\n`);
    return 0;
  },
};
