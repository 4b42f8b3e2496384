import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from './load-dataset.js';

const fixtures = join(import.meta.dirname, 'fixtures');

describe('loadDataset', () => {
  it.each(['seed-000.json', 'seed-000.yaml', 'seed-000.jsonl', 'seed-000.csv'])(
    'reads %s by its extension',
    async (name) => {
      const rows = await loadDataset(join(fixtures, name));
      expect(rows).toHaveLength(6);
      expect(rows[5]!.inputs).toEqual({ question: 'Explain how TLS/SSL handshake works.' });
    },
  );

  it('takes an explicit format over the extension', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'frugal-dataset-'));
    const path = join(directory, 'rows.txt');
    writeFileSync(path, '{"inputs": {"question": "q"}}\n');
    expect(await loadDataset(path, { format: 'jsonl' })).toEqual([
      { id: 'row-1', index: 0, inputs: { question: 'q' }, expectations: {} },
    ]);
  });

  it.each([
    [
      'data.txt',
      "data.txt: unknown dataset format '.txt': expected a .json, .jsonl, .ndjson, .yaml, .yml or .csv file",
    ],
    [
      'data',
      'data: unknown dataset format (no extension): expected a .json, .jsonl, .ndjson, .yaml, .yml or .csv file',
    ],
  ])('rejects the unknown extension of %s', async (name, message) => {
    await expect(loadDataset(name)).rejects.toThrow(message);
  });

  it('names a missing file', async () => {
    const path = join(fixtures, 'missing.json');
    await expect(loadDataset(path)).rejects.toThrow(`${path}: no such file`);
  });

  it('names the file in validation errors', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'frugal-dataset-'));
    const path = join(directory, 'bad.yml');
    writeFileSync(path, '- expectations: {expected_facts: [a]}\n');
    await expect(loadDataset(path)).rejects.toThrow(`${path} at rows[0].inputs: missing`);
  });
});
