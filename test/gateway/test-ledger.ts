import pg from 'pg';

/** One stored span as these tests check it: its id, the client's tag, status and exact cost. */
export type LedgerSpan = {
  readonly id: string;
  /** The `x-frugal-tags` value the client sent: the test's own id for the request. */
  readonly tag: string | undefined;
  readonly status: string;
  /** Exact cost in pico-dollars (`cost_micros` × 10⁶ + `cost_picos`), undefined when unpriced. */
  readonly costPicos: bigint | undefined;
};

/** A PostgreSQL schema of its own for one test file: the gateways' `store:` and a way to read it back. */
export type TestLedger = {
  /** The `store:` location: the test database with `?schema=<fresh schema>` (created by the first replica). */
  readonly storeUrl: string;
  readonly schema: string;
  /** Every span in the schema (empty while the schema does not exist yet). */
  spans(): Promise<LedgerSpan[]>;
  /** The model dimension of the daily rollup, summed: what spend reports read. */
  dailyRollup(): Promise<{ readonly costPicos: bigint; readonly calls: bigint }>;
  /** Drops the schema. */
  drop(): Promise<void>;
};

async function run<T>(connectionString: string, schema: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fresh schema name under `connectionString` (nothing is created until a gateway opens the store). */
export function createTestLedger(connectionString: string, label: string): TestLedger {
  const schema = `frugal_test_${label}_${process.pid}_${Math.floor(Math.random() * 1e9).toString(36)}`;
  const url = new URL(connectionString);
  url.searchParams.set('schema', schema);
  const exists = async () =>
    (
      await run<{ found: boolean }>(
        connectionString,
        schema,
        `SELECT to_regclass('${schema}.spans') IS NOT NULL AS found`,
      )
    )[0]!.found;
  return {
    storeUrl: url.toString(),
    schema,
    async spans() {
      if (!(await exists())) return [];
      const rows = await run<{
        id: string;
        tag: string | null;
        status: string;
        micros: string | null;
        picos: string | null;
      }>(
        connectionString,
        schema,
        'SELECT id, tags[1] AS tag, status, cost_micros::text AS micros, cost_picos::text AS picos FROM spans',
      );
      return rows.map((row) => ({
        id: row.id,
        tag: row.tag ?? undefined,
        status: row.status,
        costPicos:
          row.micros === null || row.picos === null
            ? undefined
            : BigInt(row.micros) * 1_000_000n + BigInt(row.picos),
      }));
    },
    async dailyRollup() {
      const [row] = await run<{ micros: string | null; picos: string | null; calls: string | null }>(
        connectionString,
        schema,
        "SELECT sum(cost_micros)::text AS micros, sum(cost_picos)::text AS picos, sum(calls)::text AS calls FROM spend_by_day WHERE dimension = 'model'",
      );
      return {
        costPicos: BigInt(row?.micros ?? 0) * 1_000_000n + BigInt(row?.picos ?? 0),
        calls: BigInt(row?.calls ?? 0),
      };
    },
    async drop() {
      await run(connectionString, 'public', `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}
