import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Span } from '../core/spans/span.js';
import { spanFromJsonLine, spanToJsonLine } from '../core/spans/span-json.js';

/** When the journal asks the OS to put its bytes on the disk (`fsync`). */
export const journalSyncModes = ['never', 'per-batch', 'per-span'] as const;
/** One of `journalSyncModes`. */
export type JournalSyncMode = (typeof journalSyncModes)[number];

/** A closed journal file and how many spans it holds. */
export type SealedSegment = { readonly path: string; readonly count: number };

/**
 * What reading a segment found: its spans, their lines as written (`spanToJsonLine`, newline included), and how many
 * lines were not spans (a torn last line).
 */
export type SegmentContents = {
  readonly spans: Span[];
  readonly lines: string[];
  readonly unreadableLines: number;
};

/**
 * A writer's append-only journal: JSON lines in segment files `spans-<pid>-<instance>-<seq>.jsonl`. Spans are
 * appended synchronously to the open segment; `seal` closes it (the next append opens the next one), so the
 * writer can delete a segment once the store holds all of it.
 */
export interface SpanJournal {
  readonly directory: string;
  /**
   * Appends span lines (`spanToJsonLine`'s; `count` of them, one by default) in one write; throws when the file
   * cannot be written (the caller counts it).
   */
  append(lines: string, count?: number): void;
  /** Closes the open segment, if it has spans. */
  seal(): SealedSegment | undefined;
  close(): void;
}

const segmentPattern = /^spans-(\d+)-([0-9a-f]+)-(\d+)\.jsonl$/;
/** Instances of journals open in this process: their segments are never taken for orphans. */
const liveInstances = new Set<string>();

/** Opens a new journal in `directory` (created if missing). Nothing is written until the first append. */
export function openSpanJournal(directory: string, sync: JournalSyncMode = 'never'): SpanJournal {
  mkdirSync(directory, { recursive: true });
  const instance = randomBytes(6).toString('hex');
  liveInstances.add(instance);
  let sequence = 0;
  let descriptor: number | undefined;
  let path = '';
  let count = 0;
  const syncDirectory = () => {
    const directoryDescriptor = openSync(directory, 'r');
    try {
      fsyncSync(directoryDescriptor);
    } finally {
      closeSync(directoryDescriptor);
    }
  };
  const seal = (): SealedSegment | undefined => {
    if (descriptor === undefined) return undefined;
    try {
      if (sync === 'per-batch') fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
      descriptor = undefined;
    }
    return { path, count };
  };
  return {
    directory,
    append(lines, added = 1) {
      if (descriptor === undefined) {
        sequence++;
        path = join(directory, `spans-${process.pid}-${instance}-${String(sequence).padStart(8, '0')}.jsonl`);
        descriptor = openSync(path, 'a');
        count = 0;
        if (sync !== 'never') syncDirectory();
      }
      writeSync(descriptor, lines);
      count += added;
      if (sync === 'per-span') fsyncSync(descriptor);
    },
    seal,
    close() {
      try {
        seal();
      } finally {
        liveInstances.delete(instance);
      }
    },
  };
}

/**
 * Segments left by journals that are no longer open: those of processes that are gone, and those of closed
 * journals of this process. Oldest first per journal. (A segment of a live process of another pid is left
 * alone: it may still be appending to it. If a dead process's pid was reused, its segments wait until
 * that pid is free again.)
 */
export function orphanSegments(directory: string): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => {
      const match = segmentPattern.exec(name);
      if (!match) return false;
      const pid = Number(match[1]);
      return pid === process.pid ? !liveInstances.has(match[2]!) : !processIsAlive(pid);
    })
    .sort()
    .map((name) => join(directory, name));
}

/** Reads a segment; a missing file reads as empty (another process replayed and removed it first). */
export function readSegment(path: string): SegmentContents {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { spans: [], lines: [], unreadableLines: 0 };
    throw error;
  }
  const spans: Span[] = [];
  const lines: string[] = [];
  let unreadableLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const span = spanFromJsonLine(line);
    if (span) {
      spans.push(span);
      lines.push(`${line}\n`);
    } else unreadableLines++;
  }
  return { spans, lines, unreadableLines };
}

/** Deletes a segment the store now holds entirely (already gone is fine). */
export function removeSegment(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Keeps spans (or their lines) a store refused for good (data it cannot represent) in `rejected-<pid>.jsonl`
 * beside the journal, for a person to inspect; they are never replayed. Returns the file's path.
 */
export function keepRejected(directory: string, spans: readonly (Span | string)[]): string {
  const path = join(directory, `rejected-${process.pid}.jsonl`);
  appendFileSync(
    path,
    spans.map((span) => (typeof span === 'string' ? span : spanToJsonLine(span))).join(''),
  );
  return path;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
