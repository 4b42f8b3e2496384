import { UsageError } from '../../core/errors.js';
import type { Comparison } from '../../eval/compare/compare-runs.js';
import { integerOption, numberOption } from '../args.js';

/** `--bar` (0 to 1) and `--volume` (calls per month), as `frugal compare` and `frugal report` take them. */
export function comparisonFlags(
  command: string,
  values: { readonly bar?: string | undefined; readonly volume?: string | undefined },
): { qualityBar: number | undefined; monthlyVolume: number | undefined } {
  const bar = values.bar === undefined ? undefined : numberOption(command, 'bar', values.bar);
  if (bar !== undefined && bar > 1)
    throw new UsageError(`frugal ${command}: --bar must be between 0 and 1, got '${values.bar}'`);
  const volume = values.volume === undefined ? undefined : integerOption(command, 'volume', values.volume, 1);
  return { qualityBar: bar, monthlyVolume: volume };
}

/** A `--primary` the runs have no scorer for is a UsageError that lists the ones they have. */
export function checkPrimary(command: string, comparison: Comparison, primary: string | undefined): void {
  if (primary !== undefined && !comparison.scorers.includes(primary)) {
    throw new UsageError(
      `frugal ${command}: no scorer '${primary}' in these runs (${comparison.scorers.join(', ')})`,
    );
  }
}
