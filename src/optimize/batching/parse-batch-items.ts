import { UsageError } from '../../core/errors.js';
import type { BatchItem } from './batch-item.js';

/** An item as read from a file, with the answer it should get when the file says. */
export type LabelledBatchItem = BatchItem & { readonly expected: string | undefined };

const fields = new Set(['id', 'prompt', 'expected']);

/**
 * Reads items from JSONL, one `{ "id": "q1", "prompt": "...", "expected": "..." }` per line (`expected`
 * optional; a numeric id is read as text; blank lines skipped). Anything else is a UsageError naming
 * `file:line` and what is wrong: bad JSON, a missing or empty field, an unknown field, an id used twice.
 */
export function parseBatchItems(text: string, file: string): LabelledBatchItem[] {
  const items: LabelledBatchItem[] = [];
  const lines = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const where = `${file}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new UsageError(`${where}: not JSON (${(error as Error).message})`, { cause: error });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError(`${where}: expected an object like {"id": "q1", "prompt": "..."}`);
    }
    const record = value as Record<string, unknown>;
    const unknown = Object.keys(record).find((key) => !fields.has(key));
    if (unknown !== undefined) {
      throw new UsageError(
        `${where}: unknown field '${unknown}' (an item has id, prompt and optionally expected)`,
      );
    }
    const { id, prompt, expected } = record;
    const idText = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : id;
    if (typeof idText !== 'string' || idText.trim() === '') {
      throw new UsageError(`${where}: 'id' must be a non-empty string, got ${JSON.stringify(id)}`);
    }
    if (typeof prompt !== 'string' || prompt.trim() === '') {
      throw new UsageError(`${where}: 'prompt' must be a non-empty string, got ${JSON.stringify(prompt)}`);
    }
    if (expected !== undefined && typeof expected !== 'string') {
      throw new UsageError(`${where}: 'expected' must be a string, got ${JSON.stringify(expected)}`);
    }
    const earlier = lines.get(idText);
    if (earlier !== undefined)
      throw new UsageError(`${where}: id '${idText}' is already used on line ${earlier}`);
    lines.set(idText, index + 1);
    items.push({ id: idText, prompt, expected });
  });
  if (items.length === 0) throw new UsageError(`${file}: no items (expected one JSON object per line)`);
  return items;
}
