import { describe, expect, it } from 'vitest';
import { keyTerms, questionTopic } from './question-topic.js';
import { splitRequests } from './split-requests.js';

describe('splitRequests', () => {
  it.each([
    ['What is a database index?', ['What is a database index?']],
    ['What is the difference between TCP and UDP?', ['What is the difference between TCP and UDP?']],
    ['Explain the CAP theorem in distributed systems.', ['Explain the CAP theorem in distributed systems.']],
    [
      'What is a race condition and how can it be prevented?',
      ['What is a race condition', 'how can it be prevented?'],
    ],
    ['Explain indexes and transactions.', ['Explain indexes.', 'Explain transactions.']],
    ['Describe TCP, UDP and QUIC', ['Describe TCP', 'Describe UDP', 'Describe QUIC']],
    ['Compare Redis and Memcached.', ['Compare Redis and Memcached.']],
    ['What is TLS? Why does it need certificates?', ['What is TLS?', 'Why does it need certificates?']],
    [
      'List three sorting algorithms; explain which is fastest.',
      ['List three sorting algorithms;', 'explain which is fastest.'],
    ],
    ['', []],
  ])('%j → %j', (question, requests) => {
    expect(splitRequests(question)).toEqual(requests);
  });
});

describe('questionTopic and keyTerms', () => {
  it.each([
    ['What is a database index?', 'a database index'],
    ['How does garbage collection work in Java?', 'garbage collection in Java'],
    ['Explain how TLS/SSL handshake works.', 'TLS/SSL handshake'],
    ['Explain the CAP theorem in distributed systems.', 'the CAP theorem in distributed systems'],
    ['?', 'this question'],
  ])('the topic of %j is %j', (question, topic) => {
    expect(questionTopic(question)).toBe(topic);
  });

  it('keeps the first distinct key terms', () => {
    expect(keyTerms('Explain how the TLS/SSL handshake works with TLS 1.3 certificates')).toEqual([
      'tls',
      'ssl',
      'handshake',
      'certificates',
    ]);
  });
});
