import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../core/analysis/rational.js';
import { ConfigError } from '../../core/errors.js';
import { PICOS_PER_DOLLAR } from '../../core/money.js';
import { readLabelledPairs } from './labelled-pairs.js';
import { createLocalHashEmbedder, hashEmbed } from './local-hash-embedder.js';
import { cosine, pairSimilarities } from './pair-similarities.js';
import { separationQuality } from './separation-quality.js';
import { calibrateThresholds } from './threshold-calibration.js';

const quoraFile = join(
  import.meta.dirname,
  '../../../../shared/data/semantic_cache/qqp_pairs_sample_4000.jsonl',
);
const settings = { volume: 100_000n, costPerQuery: parseDecimal('0.01'), maxFalseHitRate: 0.01 };

describe('calibrateThresholds', () => {
  // 10 pairs: similarities and labels chosen so that each threshold's counts are known by hand.
  const similarities = [0.99, 0.97, 0.96, 0.93, 0.91, 0.9, 0.85, 0.8, 0.6, 0.3];
  const duplicates = [true, true, false, true, true, false, true, false, false, false];

  it('counts hits and false hits per threshold, and prices only the correct hits, exactly', () => {
    const { rows } = calibrateThresholds(similarities, duplicates, {
      ...settings,
      thresholds: [0.95, 0.9, 0.5],
    });
    expect(rows.map(({ threshold, hits, falseHits }) => [threshold, hits, falseHits])).toEqual([
      [0.5, 9, 4],
      [0.9, 6, 2],
      [0.95, 3, 1],
    ]);
    // 100,000 queries × 5/10 correct × $0.01 = $500; 4/10 → $400; 2/10 → $200.
    expect(rows.map((row) => row.monthlySavings)).toEqual(
      [500n, 400n, 200n].map((usd) => usd * PICOS_PER_DOLLAR),
    );
    expect(rows.map((row) => [row.hitRate, row.falseHitRate])).toEqual([
      [0.9, 4 / 9],
      [0.6, 2 / 6],
      [0.3, 1 / 3],
    ]);
  });

  it('rounds savings half to even at the pico-dollar, never through a float', () => {
    const [row] = calibrateThresholds([0.9, 0.1, 0.1], [true, false, false], {
      ...settings,
      volume: 1n,
      costPerQuery: parseDecimal('0.00000000001'), // 10 pico-dollars / 3 = 3.33...
      thresholds: [0.5],
    }).rows;
    expect(row!.monthlySavings).toBe(3n);
  });

  it.each([
    [100, 1, 'LOW'],
    [100, 2, 'MEDIUM'],
    [100, 5, 'MEDIUM'],
    [100, 6, 'HIGH'],
    [0, 0, 'LOW'],
  ])('rates %i hits with %i false as %s risk', (hits, falseHits, risk) => {
    const scores = [...Array(hits).fill(0.95), 0.1];
    const labels = [
      ...Array(hits)
        .fill(true)
        .map((_, index) => index >= falseHits),
      true,
    ];
    const [row] = calibrateThresholds(scores, labels, { ...settings, thresholds: [0.9] }).rows;
    expect([row!.hits, row!.falseHits, row!.risk]).toEqual([hits, falseHits, risk]);
  });

  it('recommends the lowest threshold within the false-hit budget, or none', () => {
    const calibrate = (maxFalseHitRate: number) =>
      calibrateThresholds(similarities, duplicates, {
        ...settings,
        maxFalseHitRate,
        thresholds: [0.5, 0.9, 0.98],
      }).recommended?.threshold;
    // False-hit rates: 0.5 → 4/9, 0.9 → 2/6, 0.98 → 0/1.
    expect(calibrate(0.45)).toBe(0.5);
    expect(calibrate(0.34)).toBe(0.9);
    expect(calibrate(0.1)).toBe(0.98);
    expect(calibrate(0)).toBe(0.98);
    expect(
      calibrateThresholds([0.5, 0.99], [true, false], { ...settings, thresholds: [0.9] }).recommended,
    ).toBe(undefined);
  });
});

describe('separationQuality', () => {
  it('gives AUC 1 for a perfect split, 0.5 for ties, and the best-F1 threshold', () => {
    expect(separationQuality([0.9, 0.8, 0.2, 0.1], [true, true, false, false])).toEqual({
      rocAuc: 1,
      bestF1: { threshold: 0.8, f1: 1, precision: 1, recall: 1 },
    });
    expect(separationQuality([0.5, 0.5, 0.5, 0.5], [true, false, true, false]).rocAuc).toBe(0.5);
    // One inversion among 2×2 pairs: AUC 3/4.
    expect(separationQuality([0.9, 0.3, 0.6, 0.1], [true, true, false, false]).rocAuc).toBe(0.75);
  });
});

describe('readLabelledPairs', () => {
  it('reads text_a, text_b and label, skipping blank lines', () => {
    const text =
      '{"id": 7, "text_a": "a?", "text_b": "b?", "label": 1}\n\n{"text_a": "c", "text_b": "d", "label": 0}\n';
    expect(readLabelledPairs(text, 'pairs.jsonl')).toEqual([
      { id: '7', a: 'a?', b: 'b?', duplicate: true },
      { id: '3', a: 'c', b: 'd', duplicate: false },
    ]);
  });

  it.each([
    ['{"text_a": "a", "text_b": "b", "label": 1}\n{oops\n', /^pairs.jsonl at line 2: not JSON/],
    ['[1, 2]\n', 'pairs.jsonl at line 1: expected an object with text_a, text_b and label'],
    ['{"text_a": "a", "label": 1}\n', 'pairs.jsonl at line 1: expected text_a and text_b to be strings'],
    [
      '{"text_a": "a", "text_b": "b", "label": "yes"}\n',
      'pairs.jsonl at line 1: expected label 0 or 1, got "yes"',
    ],
    ['{"text_a": "a", "text_b": "b"}\n', 'pairs.jsonl at line 1: expected label 0 or 1, got nothing'],
    ['\n', 'pairs.jsonl: no labelled pairs'],
    ['{"text_a": "a", "text_b": "b", "label": 0}\n', /no duplicate pairs \(label 1\) among 1/],
    ['{"text_a": "a", "text_b": "b", "label": 1}\n', /no non-duplicate pairs \(label 0\) among 1/],
  ])('refuses %j with a message naming the file and line', (text, message) => {
    expect(() => readLabelledPairs(text, 'pairs.jsonl')).toThrow(ConfigError);
    expect(() => readLabelledPairs(text, 'pairs.jsonl')).toThrow(message);
  });
});

describe('calibration on the Quora question pairs (local embedder)', async () => {
  const pairs = readLabelledPairs(readFileSync(quoraFile, 'utf8'), quoraFile);
  const labels = pairs.map((pair) => pair.duplicate);
  const { similarities } = await pairSimilarities(createLocalHashEmbedder(), pairs);
  const thresholds = [0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.95, 0.98, 0.99];

  it('reads the sample as SOURCES.md describes it', () => {
    expect([pairs.length, labels.filter(Boolean).length]).toEqual([4_000, 1_531]);
  });

  it('matches counts computed independently, pair by pair', () => {
    const { rows } = calibrateThresholds(similarities, labels, { ...settings, thresholds });
    const independent = pairs.map((pair) => cosine(hashEmbed(pair.a, 384), hashEmbed(pair.b, 384)));
    for (const row of rows) {
      let hits = 0;
      let falseHits = 0;
      pairs.forEach((pair, index) => {
        if (independent[index]! < row.threshold) return;
        hits++;
        if (!pair.duplicate) falseHits++;
      });
      expect([row.threshold, row.hits, row.falseHits]).toEqual([row.threshold, hits, falseHits]);
    }
  });

  it('has hit rates and savings that fall as the threshold rises', () => {
    const { rows } = calibrateThresholds(similarities, labels, { ...settings, thresholds });
    for (let at = 1; at < rows.length; at++) {
      expect(rows[at]!.hits).toBeLessThanOrEqual(rows[at - 1]!.hits);
      expect(rows[at]!.monthlySavings).toBeLessThanOrEqual(rows[at - 1]!.monthlySavings);
    }
    expect(rows[0]!.hits).toBeGreaterThan(rows.at(-1)!.hits);
  });

  it('recommends a threshold that meets the budget, and none for a budget no threshold meets', () => {
    const loose = calibrateThresholds(similarities, labels, {
      ...settings,
      thresholds,
      maxFalseHitRate: 0.25,
    });
    expect(loose.recommended).toBeDefined();
    expect(loose.recommended!.falseHitRate).toBeLessThanOrEqual(0.25);
    const lower = loose.rows.filter((row) => row.threshold < loose.recommended!.threshold);
    for (const row of lower) expect(row.falseHitRate).toBeGreaterThan(0.25);
    // Lexical similarity cannot tell Quora's near-identical non-duplicates apart: no threshold reaches 1%.
    const strict = calibrateThresholds(similarities, labels, { ...settings, thresholds });
    expect(strict.recommended).toBeUndefined();
    expect(Math.min(...strict.rows.map((row) => row.falseHitRate))).toBeGreaterThan(0.1);
  });

  it('separates duplicates better than chance, as the README states (ROC AUC 0.74)', () => {
    const quality = separationQuality(similarities, labels);
    expect(quality.rocAuc).toBeGreaterThan(0.73);
    expect(quality.rocAuc).toBeLessThan(0.75);
  });
});
