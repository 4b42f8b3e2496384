import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The worker thread runs the built package: this test reads dist/ (npm test builds before it runs).
import { openThreadedSpanInserter as openBuilt } from '../../dist/store/threaded-span-inserter.js';
import { StoreError } from '../core/errors.js';
import { spanToJsonLine } from '../core/spans/span-json.js';
import { openSqliteStore } from './sqlite-store.js';
import { fullSpan } from './store-contract.js';
import { openThreadedSpanInserter } from './threaded-span-inserter.js';

describe('threaded span inserter', () => {
  it('inserts from a worker thread, idempotently by span id, into the file the store reads', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'frugal-threaded-')), 'frugal.db');
    const store = await openSqliteStore({ path });
    const inserter = await openBuilt({ path });
    try {
      const first = { ...fullSpan, id: '00000000000000a1' };
      const second = { ...fullSpan, id: '00000000000000a2' };
      expect(await inserter.insertSpans([first, second])).toBe(2);
      expect(await inserter.insertSpans([first])).toBe(0);
      expect(await store.getSpan(first.traceId, first.id)).toEqual(first);
    } finally {
      await inserter.close();
      await store.close();
    }
  });

  it('returns data the store refuses as a RangeError, so a writer can set that span aside', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'frugal-threaded-')), 'frugal.db');
    const inserter = await openBuilt({ path });
    try {
      const broken = { ...fullSpan, id: '00000000000000b1', durationMs: Number.NaN };
      await expect(inserter.insertSpans([broken])).rejects.toBeInstanceOf(RangeError);
    } finally {
      await inserter.close();
    }
  });

  it('takes spans as their JSON lines: the same rows, and a line that is no span refuses the batch', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'frugal-threaded-')), 'frugal.db');
    const store = await openSqliteStore({ path });
    const inserter = await openBuilt({ path });
    try {
      const first = { ...fullSpan, id: '00000000000000c1' };
      const second = { ...fullSpan, id: '00000000000000c2' };
      expect(await inserter.insertSpanLines([spanToJsonLine(first), spanToJsonLine(second)])).toBe(2);
      expect(await inserter.insertSpanLines([spanToJsonLine(second)])).toBe(0);
      expect(await store.getSpan(first.traceId, first.id)).toEqual(first);
      expect(await store.getSpan(second.traceId, second.id)).toEqual(second);
      const third = { ...fullSpan, id: '00000000000000c3' };
      await expect(
        inserter.insertSpanLines([spanToJsonLine(third), '{"id":"torn'.concat('\n')]),
      ).rejects.toBeInstanceOf(RangeError);
      expect(await store.getSpan(third.traceId, third.id)).toBeUndefined();
    } finally {
      await inserter.close();
      await store.close();
    }
  });

  it('refuses to run from TypeScript sources, where no worker script exists', async () => {
    await expect(openThreadedSpanInserter({ path: ':memory:' })).rejects.toBeInstanceOf(StoreError);
  });
});
