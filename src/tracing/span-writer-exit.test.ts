import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import { openSpanWriter } from './span-writer.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const loader = join(here, 'typescript-loader.mjs');

/**
 * A real application in a child process: a SQLite file store, the span writer (batches far larger than the
 * traffic and an hour-long interval, so nothing reaches the store unless exit handling or replay puts it
 * there), a tracer, and `count` priced LLM calls inside one step. It prints the ids of the step and the calls
 * once all are recorded, then
 * stays alive until signalled — or, in `natural` mode, lets the event loop run dry.
 */
const childSource = `
import { openSqliteStore } from ${JSON.stringify(join(here, '../store/sqlite-store.ts'))};
import { createTracer } from ${JSON.stringify(join(here, 'create-tracer.ts'))};
import { openSpanWriter } from ${JSON.stringify(join(here, 'span-writer.ts'))};

const [database, journal, count, mode] = process.argv.slice(2);
const store = await openSqliteStore({ path: database });
const writer = await openSpanWriter({ store, journalDirectory: journal, batchSize: 1e6, flushIntervalMs: 3.6e6 });
const tracer = createTracer({ sink: writer });
if (mode === 'app-handler') process.on('SIGINT', () => setTimeout(() => process.exit(7), 20));
const spans = [];
await tracer.trace('nightly job', async () => {
  for (let index = 0; index < Number(count); index++) {
    const call = tracer.startLlmSpan({ operation: 'chat', provider: 'openai', requestModel: 'gpt-4o' });
    await new Promise((resolve) => setImmediate(resolve));
    spans.push(call.end({ usage: { input: 100 + index, output: 10 } }));
  }
});
// The step span's id (every call's parent), then the calls'; all in one trace.
const ids = [spans[0].parentId, ...spans.map((span) => span.id)];
process.stdout.write(JSON.stringify({ traceId: spans[0].traceId, ids, stored: writer.stats.delivered }) + '\\n');
if (mode !== 'natural') setInterval(() => {}, 1_000);
`;

type Run = {
  child: ChildProcess;
  recorded: Promise<{ traceId: string; ids: string[]; stored: number }>;
  exit: Promise<[number | null, string | null]>;
};

function runChild(mode: string, count: number) {
  const root = mkdtempSync(join(tmpdir(), 'frugal-exit-'));
  const script = join(root, 'app.mjs');
  writeFileSync(script, childSource);
  const database = join(root, 'spans.db');
  const journal = join(root, 'journal');
  const child = spawn(
    process.execPath,
    ['--import', loader, script, database, journal, String(count), mode],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const recorded: Run['recorded'] = new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve(JSON.parse(stdout));
    });
    child.on('exit', () => reject(new Error(`child exited before recording: ${stderr}`)));
  });
  const exit: Run['exit'] = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve([code, signal])),
  );
  return { database, journal, child, recorded, exit, stderr: () => stderr };
}

async function storedCount(store: Store, recorded: { traceId: string; ids: readonly string[] }) {
  const found = await Promise.all(recorded.ids.map((id) => store.getSpan(recorded.traceId, id)));
  return found.filter((span) => span !== undefined).length;
}

const segments = (journal: string) =>
  existsSync(journal) ? readdirSync(journal).filter((name) => name.startsWith('spans-')) : [];

describe('the span writer across process exits (child processes, real SQLite file)', () => {
  it('loses nothing when the process is killed with SIGKILL: the next open replays the journal', async () => {
    const run = runChild('wait', 40);
    const recorded = await run.recorded;
    expect([recorded.ids.length, recorded.stored]).toEqual([41, 0]);
    run.child.kill('SIGKILL');
    expect(await run.exit).toEqual([null, 'SIGKILL']);

    const store = await openSqliteStore({ path: run.database });
    try {
      expect(await storedCount(store, recorded)).toBe(0);
      expect(segments(run.journal)).toHaveLength(1);
      const writer = await openSpanWriter({ store, journalDirectory: run.journal, flushOnExit: false });
      expect(writer.stats).toMatchObject({ replayed: 41, pending: 0 });
      await writer.close();
      expect(await storedCount(store, recorded)).toBe(41);
      expect((await store.getTrace(recorded.traceId)).map((span) => span.name)).toEqual([
        'nightly job',
        ...Array.from({ length: 40 }, () => 'chat gpt-4o'),
      ]);
      expect(segments(run.journal)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('flushes on SIGTERM, then ends the process by that signal as it would have', async () => {
    const run = runChild('wait', 25);
    const recorded = await run.recorded;
    run.child.kill('SIGTERM');
    expect(await run.exit).toEqual([null, 'SIGTERM']);
    const store = await openSqliteStore({ path: run.database });
    try {
      expect(await storedCount(store, recorded)).toBe(26);
      expect(segments(run.journal)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('flushes on SIGINT but leaves the exit to an application that handles SIGINT itself', async () => {
    const run = runChild('app-handler', 10);
    const recorded = await run.recorded;
    run.child.kill('SIGINT');
    expect(await run.exit).toEqual([7, null]);
    const store = await openSqliteStore({ path: run.database });
    try {
      expect(await storedCount(store, recorded)).toBe(11);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('flushes on beforeExit when the event loop runs dry, and the process exits normally', async () => {
    const run = runChild('natural', 10);
    const recorded = await run.recorded;
    expect(await run.exit).toEqual([0, null]);
    expect(run.stderr()).toBe('');
    const store = await openSqliteStore({ path: run.database });
    try {
      expect(await storedCount(store, recorded)).toBe(11);
      expect(segments(run.journal)).toEqual([]);
    } finally {
      await store.close();
    }
  }, 30_000);
});
