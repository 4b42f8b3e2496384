import type { Span } from '../core/spans/span.js';

/**
 * By start time (whole milliseconds), then by end time: of two spans started in the same millisecond, the one
 * that ended first most likely started first (a cascade's next stage starts as the previous one ends); then by
 * id, so the order is stable.
 */
function byStart(a: Span, b: Span): number {
  return a.startTime - b.startTime || a.durationMs - b.durationMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Orders a trace's spans by start time (same millisecond: the first to end first), except that a parent always
 * comes before its children: a child that started before its parent (clock skew) follows it directly. A span whose
 * parent is not in the trace counts as a root; spans caught in a parent cycle (bad data) come last, by start time.
 */
export function orderTrace(spans: readonly Span[]): Span[] {
  const ids = new Set(spans.map((span) => span.id));
  const waiting = new Map<string, Span[]>();
  const placed = new Set<string>();
  const ordered: Span[] = [];
  const place = (span: Span): void => {
    ordered.push(span);
    placed.add(span.id);
    const children = waiting.get(span.id);
    waiting.delete(span.id);
    for (const child of children ?? []) place(child);
  };
  for (const span of [...spans].sort(byStart)) {
    const parent = span.parentId;
    if (parent === undefined || !ids.has(parent) || placed.has(parent)) {
      place(span);
    } else {
      const siblings = waiting.get(parent) ?? [];
      siblings.push(span);
      waiting.set(parent, siblings);
    }
  }
  const stranded = [...waiting.values()].flat().sort(byStart);
  return [...ordered, ...stranded.filter((span) => !placed.has(span.id))];
}
