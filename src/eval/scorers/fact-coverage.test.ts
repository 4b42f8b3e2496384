import { describe, expect, it } from 'vitest';
import type { EvalRow } from '../eval-row.js';
import { factCoverage } from './fact-coverage.js';

const row = (facts?: string[]): EvalRow => ({
  id: 'r',
  index: 0,
  inputs: { question: 'Explain the CAP theorem.' },
  expectations: facts === undefined ? {} : { expected_facts: facts },
});

describe('factCoverage scorer', () => {
  const facts = [
    'consistency',
    'availability',
    'partition tolerance',
    'cannot guarantee all three simultaneously',
  ];

  it.each([
    ['Consistency, availability and partition tolerance: you cannot guarantee all three simultaneously.', 1],
    ['It trades consistency against availability.', 0.5],
    ['Distributed systems are hard.', 0],
  ])('scores the share of expected facts stated: %s', async (answer, share) => {
    const score = await factCoverage().score({ row: row(facts), prediction: { text: answer } });
    expect(score.value).toBe(share);
    expect(score.details?.['facts']).toHaveLength(4);
  });

  it('names the missing facts in its rationale', async () => {
    const score = await factCoverage().score({
      row: row(facts),
      prediction: { text: 'Consistency and availability.' },
    });
    expect(score.rationale).toBe(
      'states 2 of 4; missing: partition tolerance; cannot guarantee all three simultaneously',
    );
  });

  it('is an error, not a 0, for a row without expected facts', async () => {
    const score = await factCoverage({ name: 'facts' }).score({ row: row(), prediction: { text: 'x' } });
    expect(score).toEqual({ value: undefined, error: 'the row has no expectations.expected_facts' });
  });
});
