import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'bin', 'frugal.js');
const frugal = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

// The real executable, as a user runs it (built dist/, real process, real exit codes).
describe('frugal executable', () => {
  it('prints an overview listing every command', () => {
    const result = frugal('--help');
    expect(result.status).toBe(0);
    for (const command of ['cost', 'prices', 'tokens', 'tco', 'breakeven', 'pareto']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  });

  it('exits 2 with a one-line message on an unknown command', () => {
    const result = frugal('frobnicate');
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("frugal: unknown command 'frobnicate'");
  });
});
