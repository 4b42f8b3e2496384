import { describe, expect, it } from 'vitest';
import {
  hashKeySecret,
  keyPrefix,
  keySecretPattern,
  newKeyId,
  newKeySecret,
  secretsEqual,
} from './key-secret.js';

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('key secrets', () => {
  it('are sk-frugal- and 32 base62 characters, never twice the same', () => {
    const secrets = Array.from({ length: 1_000 }, newKeySecret);
    for (const secret of secrets) {
      expect(secret).toMatch(/^sk-frugal-[0-9A-Za-z]{32}$/);
      expect(secret).toMatch(keySecretPattern);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('draw every base62 character equally often (no modulo bias towards 0-7)', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 10_000; index++) {
      for (const character of newKeySecret().slice(10))
        counts.set(character, (counts.get(character) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...base62].sort());
    // 320,000 draws, about 5,161 per character (σ ≈ 71); `byte % 62` would give 0-7 about 6,250 each.
    const values = [...counts.values()];
    expect(Math.max(...values) / Math.min(...values)).toBeLessThan(1.1);
    const low = [...'01234567'].map((character) => counts.get(character)!);
    const rest = [...base62.slice(8)].map((character) => counts.get(character)!);
    const mean = (list: number[]) => list.reduce((sum, each) => sum + each, 0) / list.length;
    expect(mean(low) / mean(rest)).toBeLessThan(1.05);
  });

  it('hash to SHA-256 hex and show a 14-character prefix', () => {
    expect(hashKeySecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const secret = newKeySecret();
    expect(hashKeySecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashKeySecret(secret)).toBe(hashKeySecret(secret));
    expect(hashKeySecret(secret)).not.toBe(hashKeySecret(`${secret.slice(0, -1)}!`));
    expect(keyPrefix('sk-frugal-AbCdEfGh')).toBe('sk-frugal-AbCd');
    expect(keyPrefix(secret)).toBe(secret.slice(0, 14));
  });

  it('name keys key_ and 16 hex digits', () => {
    const ids = Array.from({ length: 200 }, newKeyId);
    for (const id of ids) expect(id).toMatch(/^key_[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('compare master keys exactly, whatever their lengths', () => {
    expect(secretsEqual('master-key', 'master-key')).toBe(true);
    expect(secretsEqual('master-key', 'master-kez')).toBe(false);
    expect(secretsEqual('master-key', 'master-key ')).toBe(false);
    expect(secretsEqual('master-key', '')).toBe(false);
    expect(secretsEqual('', '')).toBe(true);
    expect(secretsEqual('ü', 'u\u0308')).toBe(false);
  });
});
