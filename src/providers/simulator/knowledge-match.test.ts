import { describe, expect, it } from 'vitest';
import { seed000Questions } from '../../../test/fixtures/seed-000-questions.js';
import { findKnowledge } from './knowledge-match.js';

describe('findKnowledge', () => {
  it.each([
    ['What is a database index?', 'What is a database index?'],
    ['  what is a DATABASE index  ', 'What is a database index?'],
    [
      'Question: Explain the CAP theorem in distributed systems. Be brief.',
      'Explain the CAP theorem in distributed systems.',
    ],
    ['What is the difference between UDP and TCP?', 'What is the difference between TCP and UDP?'],
    ['What is a bloom filter?', undefined],
    ['', undefined],
  ])('%j → %j', (prompt, question) => {
    expect(findKnowledge(prompt, seed000Questions)?.question).toBe(question);
  });
});
