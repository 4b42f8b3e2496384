import { BudgetExceededError } from '../../core/errors.js';
import type { ChatModel, ChatTurn } from '../../providers/chat-model.js';
import { renderPrompt } from '../render-prompt.js';
import type { Score, ScoreInput, Scorer } from '../scorer.js';
import { tracedChatModel } from '../traced-chat-model.js';
import { type JudgeCase, type JudgeName, judgePrompt, judgeSystemPrompt } from './judge-prompt.js';
import { readJudgeReply } from './judge-reply.js';

export type JudgeOptions = {
  /** The judge model (`sim/judge` offline). Its calls are traced as judge calls, costed apart. */
  readonly model: ChatModel;
  /** Asks this many times in all when a reply is malformed (default 3), then records an error. */
  readonly attempts?: number | undefined;
  /** Sampling temperature of the judge (default 0). */
  readonly temperature?: number | undefined;
  /** Cap on the judge's reply (default 1,024 tokens). */
  readonly maxOutputTokens?: number | undefined;
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A scorer that asks an LLM judge for a structured JSON verdict. A malformed reply is asked again (with what
 * was wrong), and after `attempts` recorded as an error, never as a 0; so is a failed judge call (timeout,
 * provider error). A budget refusal is not an answer: it is thrown, and stops the run.
 */
export function llmJudge(
  name: JudgeName,
  caseOf: (input: ScoreInput) => JudgeCase | string,
  options: JudgeOptions,
  metric: string = name,
): Scorer {
  const model = tracedChatModel(options.model);
  const attempts = Math.max(1, options.attempts ?? 3);
  return {
    name: metric,
    kind: 'pass-fail',
    usesJudge: true,
    async score(input): Promise<Score> {
      const judgeCase = caseOf(input);
      if (typeof judgeCase === 'string') return { value: undefined, error: judgeCase };
      const messages: ChatTurn[] = [
        { role: 'system', content: judgeSystemPrompt },
        { role: 'user', content: judgePrompt(judgeCase) },
      ];
      const problems: string[] = [];
      for (let attempt = 1; attempt <= attempts; attempt++) {
        let text: string;
        try {
          const result = await model.generate({
            messages,
            temperature: options.temperature ?? 0,
            maxOutputTokens: options.maxOutputTokens ?? 1024,
            responseFormat: 'json',
            ...(input.signal === undefined ? {} : { signal: input.signal }),
          });
          text = result.text;
        } catch (error) {
          if (error instanceof BudgetExceededError) throw error;
          return { value: undefined, error: `the judge call failed: ${message(error)}` };
        }
        try {
          const verdict = readJudgeReply(judgeCase, text);
          return {
            value: verdict.pass,
            rationale: verdict.rationale,
            ...(verdict.details === undefined ? {} : { details: verdict.details }),
          };
        } catch (error) {
          problems.push(message(error));
          messages.push(
            { role: 'assistant', content: text },
            {
              role: 'user',
              content: `That reply could not be used (${message(error)}). Reply with the JSON object only.`,
            },
          );
        }
      }
      return {
        value: undefined,
        error: `the judge's reply was malformed ${attempts} times (${problems.join(' | ')})`,
      };
    },
  };
}

/** The question a judge sees: the row's `question` input, or its inputs. */
export const questionOf = (input: ScoreInput) => renderPrompt(input.row);
