import { ConfigError } from '../../core/errors.js';
import type { OutcomeQuery, OutcomeSet } from './outcome-set.js';

export type AlpacaEvalImportOptions = {
  /** The models to keep (default: every model that answered every instruction). */
  readonly models?: readonly string[] | undefined;
  /** Counts the tokens of an instruction for a model; without it there are no input token counts. */
  readonly countTokens?: ((model: string, text: string) => number) | undefined;
};

/** Characters per token used to turn AlpacaEval's output lengths into output tokens (an estimate). */
export const charactersPerToken = 4;

type Row = { id: unknown; instruction: unknown; dataset: unknown; pref: unknown; out_chars: unknown };

/**
 * AlpacaEval 2's per-instruction file (`alpacaeval/alpacaeval2_per_instruction.jsonl`): per instruction and
 * model, the judge's probability that the model's answer beats the GPT-4 Turbo reference (a graded score in
 * [0, 1]) and the answer's length in characters (output tokens ≈ characters / 4, marked estimated).
 * Instructions missing one of the chosen models are left out; `dropped` says how many.
 */
export function importAlpacaEval(
  text: string,
  file: string,
  options: AlpacaEvalImportOptions = {},
): { set: OutcomeSet; dropped: number } {
  const rows: { row: Row; line: number }[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      rows.push({ row: JSON.parse(line) as Row, line: index + 1 });
    } catch (error) {
      throw new ConfigError(file, `line ${index + 1}`, `malformed JSON: ${(error as Error).message}`);
    }
  });
  const isMap = (value: unknown): value is Record<string, number> =>
    typeof value === 'object' && value !== null;
  for (const { row, line } of rows) {
    if (typeof row.instruction !== 'string')
      throw new ConfigError(file, `line ${line}, instruction`, 'expected a string');
    if (!isMap(row.pref))
      throw new ConfigError(file, `line ${line}, pref`, 'expected an object of model → preference');
    if (!isMap(row.out_chars)) throw new ConfigError(file, `line ${line}, out_chars`, 'expected an object');
  }
  if (rows.length === 0) throw new ConfigError(file, '', 'no rows');
  const everywhere = Object.keys(rows[0]!.row.pref as object).filter((model) =>
    rows.every(({ row }) => typeof (row.pref as Record<string, unknown>)[model] === 'number'),
  );
  const models = options.models ?? everywhere.sort();
  const known = new Set(rows.flatMap(({ row }) => Object.keys(row.pref as object)));
  const unknown = models.find((model) => !known.has(model));
  if (unknown !== undefined) throw new ConfigError(file, '', `no preferences for model '${unknown}'`);
  if (models.length < 2) throw new ConfigError(file, '', 'fewer than two models answered every instruction');
  const queries: OutcomeQuery[] = [];
  let dropped = 0;
  for (const { row } of rows) {
    const pref = row.pref as Record<string, unknown>;
    const chars = row.out_chars as Record<string, unknown>;
    if (!models.every((model) => typeof pref[model] === 'number')) {
      dropped += 1;
      continue;
    }
    const instruction = row.instruction as string;
    const outcomes = Object.fromEntries(
      models.map((model) => {
        const length = chars[model];
        return [
          model,
          {
            score: Math.min(1, Math.max(0, pref[model] as number)),
            ...(options.countTokens ? { inputTokens: options.countTokens(model, instruction) } : {}),
            ...(typeof length === 'number' ? { outputTokens: Math.ceil(length / charactersPerToken) } : {}),
            estimated: true,
          },
        ];
      }),
    );
    queries.push({
      id: String(row.id),
      prompt: instruction,
      category: typeof row.dataset === 'string' ? row.dataset : undefined,
      outcomes,
    });
  }
  const set: OutcomeSet = {
    name: 'alpacaeval-2',
    source: 'tatsu-lab/alpaca_eval@cd543a14 (data CC BY-NC 4.0: tests only)',
    scale: { kind: 'graded', min: 0, max: 1 },
    models,
    queries,
  };
  return { set, dropped };
}
