import { type TokenizerName, tokenizerNames } from './token-count.js';

/** Which tokenizer counts a model's tokens, and whether it is the model's own (`exact`) or a stand-in. */
export type TokenizerChoice = {
  readonly model: string | null;
  readonly encoding: TokenizerName;
  readonly exact: boolean;
  readonly note?: string;
};

type Rule = {
  readonly pattern: RegExp;
  readonly encoding: TokenizerName;
  readonly exact: boolean;
  readonly note?: string;
};

/**
 * What an o200k_base stand-in is worth, measured by `estimate-error.test.ts` on 1,222 English texts built
 * from ../shared/data (MMLU and GSM8K prompts, GPT-4 answers, MT-Bench turns, AlpacaEval instructions, Quora
 * questions; 325k characters) against five real tokenizers of other families. o200k_base counted fewer
 * tokens than each: in total 0.3% fewer than DeepSeek-V3, 0.7% than Llama 3, 0.8% than cl100k_base, 4.8%
 * than Qwen3 and 13.6% than Mistral v1 (a 32k SentencePiece vocabulary); 90% of single texts were within
 * 4-6% of the first three, 11% of Qwen3 and 21% of Mistral v1. The test holds these to 15% in total and
 * 22% per text (p90). Claude 3+ and Gemini tokenizers are not public (Gemini's vocabulary is Gemma's, but
 * its npm packages weigh 130-240 MB), so their own error cannot be measured offline: expect an error of
 * this order, not a bound, and prefer the provider's reported usage or count_tokens endpoint.
 */
const estimateNote =
  'o200k_base stand-in (on English text it counted 0.3-14% fewer tokens than five other tokenizers)';

/** First match wins. Patterns see the bare model name: lower case, no provider or Bedrock vendor prefix. */
const rules: readonly Rule[] = [
  // OpenAI: GPT-4o and later use o200k_base (gpt-oss uses o200k_harmony: same text tokens, more specials).
  {
    pattern:
      /^(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o[134]|gpt-oss|codex-mini|computer-use-preview|omni-moderation|gpt-realtime|gpt-audio)(?:\b|$)/,
    encoding: 'o200k_base',
    exact: true,
  },
  // OpenAI: GPT-4 (incl. turbo), GPT-3.5 turbo (Azure spells it gpt-35) and the v3/ada embeddings: cl100k_base.
  {
    pattern: /^(?:gpt-4(?:-|$)|gpt-3\.5-turbo|gpt-35-turbo|text-embedding-3-|text-embedding-ada-002)/,
    encoding: 'cl100k_base',
    exact: true,
  },
  // Llama 3, 3.1, 3.2, 3.3 share one 128k vocabulary; the R1 distills of Llama keep it.
  {
    pattern: /^(?:meta-)?llama-?3(?:[.-][0-3])?(?:[-.:_]|$)|^deepseek-r1-distill-llama/,
    encoding: 'llama3',
    exact: true,
  },
  // Mistral 7B v0.1/v0.2 and Mixtral 8x7B: the v1 SentencePiece vocabulary.
  { pattern: /^(?:open-)?(?:mistral-7b.*v0\.[12]|mixtral-8x7b)/, encoding: 'mistral_v1', exact: true },
  {
    pattern: /^(?:open-)?(?:mistral-7b|mixtral-8x22b)/,
    encoding: 'mistral_v1',
    exact: false,
    note: "Mistral's v3 vocabulary is v1 plus control tokens: text counts are expected to match v1 but this is not verified",
  },
  {
    pattern: /^(?:open-)?(?:mistral|mixtral|codestral|ministral|pixtral|magistral|devstral|voxtral)/,
    encoding: 'o200k_base',
    exact: false,
    note: `Mistral's Tekken tokenizer has no pure-JS package with its vocabulary: ${estimateNote}`,
  },
  // DeepSeek V3, R1, V3.1, V3.2 and the API's deepseek-chat / deepseek-reasoner share the V3 vocabulary.
  { pattern: /^deepseek-r1-distill-qwen/, encoding: 'qwen3', exact: true },
  { pattern: /^deepseek-(?:chat|reasoner|v3|r1)/, encoding: 'deepseek_v3', exact: true },
  {
    pattern: /^deepseek/,
    encoding: 'deepseek_v3',
    exact: false,
    note: 'older DeepSeek models (V2, Coder) used other vocabularies: DeepSeek-V3 tokenizer as a stand-in',
  },
  // Qwen2, 2.5, 3 and QwQ share one byte-level BPE vocabulary (only added special tokens differ).
  { pattern: /^(?:qwen-?(?:2|2\.5|3)|qwq)(?:\b|$)/, encoding: 'qwen3', exact: true },
  {
    pattern: /^qwen/,
    encoding: 'qwen3',
    exact: false,
    note: "Alibaba's API models (qwen-max/plus/turbo...) are assumed to use the Qwen vocabulary",
  },
  {
    pattern: /^claude/,
    encoding: 'o200k_base',
    exact: false,
    note: `Claude 3+ has no public tokenizer (count exactly with Anthropic's count_tokens API): ${estimateNote}`,
  },
  {
    pattern: /^(?:gemini|gemma)/,
    encoding: 'o200k_base',
    exact: false,
    note: `Gemini/Gemma's vocabulary ships only in 100+ MB packages, not installed: ${estimateNote}`,
  },
];

/** `openai/gpt-4o`, `us.anthropic.claude-…`, `ft:gpt-4o-mini-2024-07-18:org::id`, `qwen3:8b` → the bare name. */
function bareName(model: string): string {
  let name = model.trim().toLowerCase();
  if (name.startsWith('ft:')) name = name.slice(3).split(':')[0] ?? '';
  name = name.split('/').at(-1) ?? name;
  name = name.replace(
    /^(?:[a-z-]{2,7}\.)?(?:meta|anthropic|mistral|deepseek|qwen|openai|google|amazon)\./,
    '',
  );
  return name.replace(/:.*$/, '');
}

/**
 * The tokenizer for a model name (any case, provider-prefixed or dated). An encoding name counts as itself.
 * Never throws: an unknown model gets an o200k_base estimate that says so, and no model at all counts
 * o200k_base tokens exactly.
 */
export function tokenizerForModel(model: string | undefined): TokenizerChoice {
  if (model === undefined || model.trim() === '') {
    return { model: null, encoding: 'o200k_base', exact: true, note: 'no model given: o200k_base tokens' };
  }
  const name = bareName(model);
  const asEncoding = tokenizerNames.find((encoding) => encoding === name);
  if (asEncoding !== undefined) return { model, encoding: asEncoding, exact: true };
  const rule = rules.find(({ pattern }) => pattern.test(name));
  if (rule === undefined) {
    return { model, encoding: 'o200k_base', exact: false, note: `unknown model '${model}': ${estimateNote}` };
  }
  return {
    model,
    encoding: rule.encoding,
    exact: rule.exact,
    ...(rule.note === undefined ? {} : { note: rule.note }),
  };
}
