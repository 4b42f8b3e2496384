import type { OutcomeSet } from './outcome-set.js';
import { outcomesFormat, outcomesVersion } from './read-outcomes.js';

/** An outcome set as the JSONL that `readOutcomes` reads back: a header line, then one line per query. */
export function writeOutcomes(set: OutcomeSet): string {
  const header = {
    [outcomesFormat]: outcomesVersion,
    name: set.name,
    ...(set.source === undefined ? {} : { source: set.source }),
    scale: set.scale,
    models: set.models,
  };
  const lines = [JSON.stringify(header)];
  for (const query of set.queries) {
    const outcomes: Record<string, unknown> = {};
    for (const model of set.models) {
      const outcome = query.outcomes[model]!;
      outcomes[model] = {
        score: outcome.score,
        ...(outcome.inputTokens === undefined ? {} : { input_tokens: outcome.inputTokens }),
        ...(outcome.outputTokens === undefined ? {} : { output_tokens: outcome.outputTokens }),
        ...(outcome.estimated ? { estimated: true } : {}),
        ...(outcome.response === undefined ? {} : { response: outcome.response }),
      };
    }
    lines.push(
      JSON.stringify({
        id: query.id,
        prompt: query.prompt,
        ...(query.category === undefined ? {} : { category: query.category }),
        outcomes,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}
