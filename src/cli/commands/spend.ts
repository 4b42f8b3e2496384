import { type SpendSectionSpec, spendReport } from '../../control/spend-report.js';
import { UsageError } from '../../core/errors.js';
import {
  type SpendDimension,
  spendDimensions,
  type TimeBucket,
  timeBuckets,
} from '../../core/spans/spend-query.js';
import { parseTimeBound } from '../../core/time/parse-time-bound.js';
import { zoneCalendar } from '../../core/time/zone-calendar.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { defaultStoreLocation, ledgerLocation, openLedger } from '../ledger.js';
import { spendCsv, spendJson, spendText } from './spend-output.js';

const help = `usage: frugal spend [--by SPEC]... [--since WHEN] [--until WHEN] [--tz ZONE]
                    [--where DIM=VALUE]... [--top N] [--store LOCATION] [--json | --csv]

Spend, tokens and calls from the span store, with totals and each group's share. Amounts are exact;
calls whose model has no price are counted as unpriced, never as $0.

  --by SPEC        one table per --by: dimensions joined by commas, optionally with one of
                   hour, day, week, month (e.g. --by model, --by feature,user, --by model,day, --by day).
                   Dimensions: ${spendDimensions.join(', ')} (key = API key id; a span counts once
                   under each of its tags). Default: --by model --by feature --by user.
  --since WHEN     start (inclusive): 30m, 24h, 7d, 2w, today, yesterday, 2026-11-01, or an ISO time
  --until WHEN     end (exclusive), same forms; default now
  --tz ZONE        IANA time zone for days, weeks (from Monday) and months; default UTC
  --where D=V      keep only spans whose dimension D is V (repeat to combine; same D twice = either)
  --top N          the N groups with the most cost per table
  --store LOC      sqlite:PATH, a file path, or postgres://… (default: the config's store, else
                   ${defaultStoreLocation})
  --config FILE    config file (default ./frugal.yaml if present)
  --json | --csv   machine-readable output (exact decimal dollar strings)`;

/** `frugal spend`: the ledger report. */
export const spendCommand: Command = {
  name: 'spend',
  summary: 'spend by model, feature, user, key, tag, run and time',
  help,
  async run(args, io) {
    const { values } = parseCommandArgs(
      'spend',
      args,
      {
        by: { type: 'string', multiple: true },
        since: { type: 'string' },
        until: { type: 'string' },
        tz: { type: 'string' },
        where: { type: 'string', multiple: true },
        top: { type: 'string' },
        store: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
      },
      { maxPositionals: 0 },
    );
    if (values.json && values.csv) throw new UsageError('frugal spend: choose one of --json and --csv');
    const timeZone = values.tz ?? 'UTC';
    try {
      zoneCalendar(timeZone);
    } catch (error) {
      throw new UsageError(`frugal spend: --tz must be an IANA time zone, got '${timeZone}'`, {
        cause: error,
      });
    }
    const now = io.now();
    const from =
      values.since === undefined ? undefined : parseTimeBound(values.since, now, '--since', timeZone);
    const to = values.until === undefined ? now : parseTimeBound(values.until, now, '--until', timeZone);
    if (from !== undefined && from >= to) {
      throw new UsageError(
        `frugal spend: --since (${values.since}) must be before --until (${values.until ?? 'now'})`,
      );
    }
    const sections = (values.by ?? ['model', 'feature', 'user']).map(parseSection);
    const filters = parseFilters(values.where ?? []);
    const limit = values.top === undefined ? undefined : integerOption('spend', 'top', values.top, 1);

    const where = await ledgerLocation(io, values);
    const store = await openLedger(io, 'spend', where, true);
    if (store === undefined) return 1;
    try {
      const report = await spendReport(store, { from, to, timeZone, filters, limit, sections });
      io.stdout(values.json ? spendJson(report) : values.csv ? spendCsv(report) : spendText(report));
      return 0;
    } finally {
      await store.close();
    }
  },
};

const bucketNames: readonly string[] = timeBuckets;
const dimensionNames: readonly string[] = spendDimensions;

function parseSection(spec: string): SpendSectionSpec {
  const groupBy: SpendDimension[] = [];
  let bucket: TimeBucket | undefined;
  for (const word of spec.split(',').map((part) => part.trim())) {
    if (bucketNames.includes(word)) {
      if (bucket) throw new UsageError(`frugal spend: --by '${spec}' names two time buckets`);
      bucket = word as TimeBucket;
    } else if (dimensionNames.includes(word)) {
      if (groupBy.includes(word as SpendDimension))
        throw new UsageError(`frugal spend: --by '${spec}' repeats '${word}'`);
      groupBy.push(word as SpendDimension);
    } else {
      throw new UsageError(
        `frugal spend: --by '${spec}': unknown '${word}'; expected ${[...spendDimensions, ...timeBuckets].join(', ')}`,
      );
    }
  }
  return { groupBy, bucket };
}

function parseFilters(conditions: readonly string[]): Partial<Record<SpendDimension, string[]>> {
  const filters: Partial<Record<SpendDimension, string[]>> = {};
  for (const condition of conditions) {
    const match = /^([a-z]+)=(.+)$/.exec(condition);
    if (!match || !dimensionNames.includes(match[1]!)) {
      throw new UsageError(
        `frugal spend: --where must be DIMENSION=VALUE with a dimension among ${spendDimensions.join(', ')}, got '${condition}'`,
      );
    }
    const dimension = match[1] as SpendDimension;
    filters[dimension] = [...(filters[dimension] ?? []), match[2]!];
  }
  return filters;
}
