import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Span } from '../core/spans/span.js';
import { spanToJsonLine } from '../core/spans/span-json.js';
import {
  journalSyncModes,
  openSpanJournal,
  orphanSegments,
  readSegment,
  removeSegment,
} from './span-journal.js';

const spanNumber = (n: number): Span => ({
  id: n.toString(16).padStart(16, '0'),
  traceId: 'a'.repeat(32),
  name: `step ${n}`,
  kind: 'step',
  startTime: 1_760_000_000_000 + n,
  durationMs: 1,
  status: 'ok',
  cost: { status: 'priced', total: BigInt(n) * 10n ** 15n, priceId: 'p', source: 's' },
  attribution: {},
  attributes: {},
});

const freshDirectory = () => join(mkdtempSync(join(tmpdir(), 'frugal-journal-')), 'journal');

/** A pid that is certainly not running: a child that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('span journal', () => {
  for (const sync of journalSyncModes) {
    it(`appends spans to segments that read back exactly (fsync ${sync})`, () => {
      const directory = freshDirectory();
      const journal = openSpanJournal(directory, sync);
      expect(journal.seal()).toBeUndefined();
      expect(readdirSync(directory)).toEqual([]);
      journal.append(spanToJsonLine(spanNumber(1)));
      journal.append(spanToJsonLine(spanNumber(2)));
      const first = journal.seal();
      journal.append(spanToJsonLine(spanNumber(3)));
      const second = journal.seal();
      expect([first?.count, second?.count]).toEqual([2, 1]);
      expect(basename(first!.path)).toMatch(
        new RegExp(`^spans-${process.pid}-[0-9a-f]{12}-00000001\\.jsonl$`),
      );
      expect(basename(second!.path)).toMatch(/-00000002\.jsonl$/);
      expect(readSegment(first!.path)).toEqual({
        spans: [spanNumber(1), spanNumber(2)],
        lines: [spanToJsonLine(spanNumber(1)), spanToJsonLine(spanNumber(2))],
        unreadableLines: 0,
      });
      expect(readFileSync(second!.path, 'utf8')).toBe(spanToJsonLine(spanNumber(3)));
      journal.close();
    });
  }

  it('skips a torn last line and reads a missing segment as empty', () => {
    const directory = freshDirectory();
    const journal = openSpanJournal(directory);
    journal.append(spanToJsonLine(spanNumber(1)));
    const sealed = journal.seal()!;
    appendFileSync(sealed.path, spanToJsonLine(spanNumber(2)).slice(0, 25));
    expect(readSegment(sealed.path)).toEqual({
      spans: [spanNumber(1)],
      lines: [spanToJsonLine(spanNumber(1))],
      unreadableLines: 1,
    });
    removeSegment(sealed.path);
    removeSegment(sealed.path);
    expect(existsSync(sealed.path)).toBe(false);
    expect(readSegment(sealed.path)).toEqual({ spans: [], lines: [], unreadableLines: 0 });
    journal.close();
  });

  it('takes for orphans the segments of dead processes and of closed journals, never of open ones', () => {
    const directory = freshDirectory();
    const open = openSpanJournal(directory);
    open.append(spanToJsonLine(spanNumber(1)));
    const closed = openSpanJournal(directory);
    closed.append(spanToJsonLine(spanNumber(2)));
    closed.close();
    const dead = join(directory, `spans-${deadPid()}-0123456789ab-00000001.jsonl`);
    const living = join(directory, `spans-${process.ppid}-0123456789ab-00000001.jsonl`);
    writeFileSync(dead, spanToJsonLine(spanNumber(3)));
    writeFileSync(living, spanToJsonLine(spanNumber(4)));
    writeFileSync(join(directory, 'notes.txt'), 'not a segment');
    const orphans = orphanSegments(directory).map((path) => readSegment(path).spans.map((span) => span.name));
    expect(orphans.sort()).toEqual([['step 2'], ['step 3']]);
    expect(orphanSegments(join(directory, 'missing'))).toEqual([]);
    open.close();
    expect(orphanSegments(directory)).toHaveLength(3);
  });
});
