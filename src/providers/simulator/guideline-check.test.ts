import { describe, expect, it } from 'vitest';
import { checkGuideline, conciseWordLimit } from './guideline-check.js';

const long = Array.from({ length: conciseWordLimit + 1 }, () => 'word').join(' ');

describe('checkGuideline (a heuristic stand-in for a judge)', () => {
  it.each([
    ['Answer in 2-4 sentences', 'One. Two. Three.', true],
    ['Answer in 2 to 4 sentences', 'Only one sentence here.', false],
    ['Use at most 5 words', 'one two three four five', true],
    ['Use fewer than 5 words', 'one two three four five', false],
    ['Be concise', 'Short and to the point.', true],
    ['Keep it brief', long, false],
    ['Do not include code', 'Call the function with its arguments.', true],
    ['No code', 'Run `npm test` first.', false],
    ['Avoid bullet points', 'A sentence.\n- a bullet', false],
    ['Avoid bullet points', 'Plain prose only.', true],
    ['Mention partition tolerance', 'Partition tolerance is required.', true],
    ['Mention partition tolerance', 'Availability matters.', false],
    ['The answer should be about databases', 'Databases store rows.', true],
    ['The answer should discuss cryptographic certificates', 'Rows are stored in pages.', false],
    ['Always answer', 'anything', true],
  ])('%j on %j → %s', (guideline, answer, met) => {
    const check = checkGuideline(guideline, answer);
    expect(check.met).toBe(met);
    expect(check.guideline).toBe(guideline);
    expect(check.rationale.length).toBeGreaterThan(0);
  });
});
