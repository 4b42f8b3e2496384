import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/memory-io.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

/** Run ids are random and the store's path is the reader's: everything else must match to the character. */
const normalize = (text: string) =>
  text
    .replace(/run-[0-9a-f]{12}/g, 'run-…')
    .replace(/ in \S+frugal\.db\./, ' in .frugal/frugal.db.')
    .trim();

describe("README's Quick start", () => {
  it('shows what `frugal demo` prints today', async () => {
    const start = readme.indexOf("frugal demo: seed 000's six questions");
    expect(start).toBeGreaterThan(0);
    const shown = readme.slice(start, readme.indexOf('```', start));
    const store = join(mkdtempSync(join(tmpdir(), 'frugal-readme-')), '.frugal', 'frugal.db');
    const { code, stdout } = await runCli(['demo', '--store', store]);
    expect(code).toBe(0);
    expect(normalize(stdout)).toBe(normalize(shown));
  });
});
