import { ConfigError } from '../../core/errors.js';
import { parseCsv } from '../../core/text/parse-csv.js';

/** Per dataset of FrugalGPT's 2024 summary: the best single model, and the cheapest cascade point matching it. */
export type FrugalGptPoint = {
  readonly dataset: string;
  readonly bestModel: string;
  readonly bestAccuracy: number;
  readonly bestCostPerQuery: number;
  /** The cheapest FrugalGPT point at or above the best model's test accuracy; undefined when none is cheaper. */
  readonly cascade?:
    | { readonly accuracy: number; readonly costPerQuery: number; readonly saving: number }
    | undefined;
  /** The cascade's best accuracy at any budget. */
  readonly cascadeBestAccuracy: number;
};

const columns = ['dataset', 'test_acc', 'test_cost_usd_per_query', 'method', 'kind'] as const;

/**
 * The reference picture for cascades: FrugalGPT's published 2024 summary
 * (`../shared/data/frugalgpt/frugalgpt_2024_models_and_cascade_summary.csv`), reduced to what a reader compares
 * a cascade with: per dataset, the best single model by test accuracy and what the learned cascade pays for the
 * same accuracy. Published figures, not measured here (costs per query as floats in dollars, as published).
 */
export function frugalGptReference(text: string, file: string): FrugalGptPoint[] {
  const [header, ...records] = parseCsv(text, file);
  if (header === undefined) throw new ConfigError(file, '', 'empty CSV');
  const at = Object.fromEntries(columns.map((column) => [column, header.fields.indexOf(column)])) as Record<
    (typeof columns)[number],
    number
  >;
  const missing = columns.find((column) => at[column] < 0);
  if (missing !== undefined) throw new ConfigError(file, 'line 1', `no '${missing}' column`);
  const rows = records.map((record) => {
    const number = (column: 'test_acc' | 'test_cost_usd_per_query') => {
      const value = Number(record.fields[at[column]]);
      if (!Number.isFinite(value))
        throw new ConfigError(file, `line ${record.line}, ${column}`, 'expected a number');
      return value;
    };
    return {
      dataset: record.fields[at.dataset]!,
      method: record.fields[at.method]!,
      cascade: record.fields[at.kind] === 'frugalgpt_cascade',
      accuracy: number('test_acc'),
      cost: number('test_cost_usd_per_query'),
    };
  });
  const datasets = [...new Set(rows.map((row) => row.dataset))];
  return datasets.map((dataset) => {
    const singles = rows.filter((row) => row.dataset === dataset && !row.cascade);
    const cascades = rows.filter((row) => row.dataset === dataset && row.cascade);
    const best = singles.reduce((a, b) =>
      b.accuracy > a.accuracy || (b.accuracy === a.accuracy && b.cost < a.cost) ? b : a,
    );
    const matching = cascades
      .filter((row) => row.accuracy >= best.accuracy && row.cost < best.cost)
      .sort((a, b) => a.cost - b.cost)[0];
    return {
      dataset,
      bestModel: best.method,
      bestAccuracy: best.accuracy,
      bestCostPerQuery: best.cost,
      cascade:
        matching === undefined
          ? undefined
          : {
              accuracy: matching.accuracy,
              costPerQuery: matching.cost,
              saving: 1 - matching.cost / best.cost,
            },
      cascadeBestAccuracy: Math.max(...cascades.map((row) => row.accuracy)),
    };
  });
}
