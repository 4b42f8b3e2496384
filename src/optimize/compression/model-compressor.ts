import { FrugalError } from '../../core/errors.js';
import type { Usage } from '../../core/usage.js';
import type { ChatModel } from '../../providers/chat-model.js';

/** The instruction given to the compressing model. */
export const compressionInstruction =
  'Rewrite the instructions below to be as short as possible. Keep every requirement, constraint, number, ' +
  'name and output format; drop only filler, repetition and politeness. Reply with the rewritten ' +
  'instructions only, no preamble.';

export type ModelCompression = {
  readonly text: string;
  /** False when the model's rewrite was empty or not shorter: the original is kept. */
  readonly changed: boolean;
  readonly usage: Usage;
  readonly simulated: boolean;
};

/**
 * The LLM-assisted compressor: asks any configured model to rewrite a prompt shorter. A reply that is empty or
 * not shorter than the original is refused (the original is kept and `changed` is false). Like every
 * compressor, its output is a candidate to evaluate, never applied unverified.
 */
export async function compressWithModel(
  model: ChatModel,
  text: string,
  signal?: AbortSignal,
): Promise<ModelCompression> {
  let result: Awaited<ReturnType<ChatModel['generate']>>;
  try {
    result = await model.generate({
      messages: [
        { role: 'system', content: compressionInstruction },
        { role: 'user', content: text },
      ],
      temperature: 0,
      signal,
    });
  } catch (error) {
    throw new FrugalError(`compressing with ${model.id} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const rewritten = result.text
    .trim()
    .replace(/^["'`]+|["'`]+$/g, '')
    .trim();
  const changed = rewritten !== '' && rewritten.length < text.trim().length;
  return { text: changed ? rewritten : text, changed, usage: result.usage, simulated: result.simulated };
}
