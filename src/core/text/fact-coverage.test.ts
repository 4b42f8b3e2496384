import { describe, expect, it } from 'vitest';
import { contentWords, stemWord } from './content-words.js';
import { checkFact, factCoverage, factSupportThreshold } from './fact-coverage.js';

describe('stemWord', () => {
  it.each([
    [['improve', 'improves', 'improved', 'improving'], 'improv'],
    [['query', 'queries'], 'query'],
    [['identify', 'identifies', 'identified', 'identifying'], 'identify'],
    [['guarantee', 'guarantees', 'guaranteed', 'guaranteeing'], 'guarantee'],
    [['process', 'processes'], 'process'],
    [['establish', 'establishes', 'established', 'establishment'], 'establish'],
    [['speed', 'speeds', 'speeding'], 'speed'],
    [['run', 'running'], 'run'],
    [['simultaneous', 'simultaneously'], 'simultaneous'],
    [['object', 'objects'], 'object'],
    [['status'], 'status'],
    [['string'], 'string'],
  ])('%j all stem to %s', (words, stem) => {
    for (const word of words) expect(stemWord(word), word).toBe(stem);
  });
});

describe('contentWords', () => {
  it('splits hyphens and slashes, expands contractions, drops stopwords but keeps negations', () => {
    expect(contentWords('TCP is connection-oriented.')).toEqual(['tcp', 'connection', 'orient']);
    expect(contentWords('How does the TLS/SSL handshake work?')).toEqual(['tls', 'ssl', 'handshak', 'work']);
    expect(contentWords("It can't guarantee all three")).toEqual(['not', 'guarantee', 'three']);
    expect(contentWords('It cannot, and does not.')).toEqual(['not', 'not']);
  });
});

// [fact, answer]: a paraphrase a lexical check must accept.
const paraphrases: readonly (readonly [string, string])[] = [
  [
    'data structure that improves query speed',
    'An index is a data structure that speeds up queries and improves speed.',
  ],
  [
    'data structure that improves query speed',
    'It is a separate data structure; it improved the speed of every query.',
  ],
  ['trades write performance for read performance', 'It trades slower writes for better read performance.'],
  ['consistency', 'Consistency means every read sees the latest write.'],
  ['partition tolerance', 'Partition-tolerant systems keep working; partition tolerance is mandatory.'],
  [
    'cannot guarantee all three simultaneously',
    "A system can't guarantee the three properties simultaneously.",
  ],
  ['cannot guarantee all three simultaneously', 'No system can guarantee all three simultaneously.'],
  ['TCP is connection-oriented', 'TCP is a connection oriented protocol.'],
  ['UDP is connectionless', 'UDP, by contrast, is connectionless.'],
  ['TCP guarantees delivery', 'TCP guaranteed delivery through acknowledgements.'],
  ['automatic memory management', 'Java manages memory automatically: memory management is automatic.'],
  ['identifies unreachable objects', 'The collector identified objects that are unreachable.'],
  ['reclaims memory', 'It then reclaims the memory they used.'],
  ['concurrent access to shared resource', 'Concurrent threads access a shared resource without locks.'],
  ['outcome depends on timing', 'The outcome depends on the timing of the threads.'],
  [
    'client hello and server hello',
    'The client sends a ClientHello... the client hello is answered by a server hello.',
  ],
  ['certificate exchange', 'Certificates are exchanged: the certificate exchange proves identity.'],
  ['symmetric key establishment', 'Both sides establish a shared symmetric key.'],
];

// [fact, answer]: a near miss that must fail.
const nearMisses: readonly (readonly [string, string])[] = [
  ['UDP is connectionless', 'UDP is connection-oriented.'],
  ['TCP guarantees delivery', 'UDP guarantees delivery.'],
  ['TCP guarantees delivery', 'TCP ensures that packets arrive.'],
  ['identifies unreachable objects', 'It identifies objects that are reachable.'],
  ['client hello and server hello', 'The client says hello first.'],
  ['symmetric key establishment', 'An asymmetric key pair is used.'],
  ['trades write performance for read performance', 'It improves read performance.'],
  ['cannot guarantee all three simultaneously', 'It can guarantee two of them.'],
  ['partition tolerance', 'Partitions happen.'],
  ['data structure that improves query speed', 'A data structure.'],
  ['it is', 'it is'],
];

describe('checkFact', () => {
  it.each(paraphrases)('supports %j in %j', (fact, answer) => {
    const check = checkFact(fact, answer);
    expect(check.supported, JSON.stringify(check)).toBe(true);
    expect(check.share).toBeGreaterThanOrEqual(factSupportThreshold);
  });

  it.each(nearMisses)('does not support %j in %j', (fact, answer) => {
    const check = checkFact(fact, answer);
    expect(check.supported, JSON.stringify(check)).toBe(false);
  });

  it('reports the share and the matched and missing words', () => {
    expect(checkFact('TCP guarantees delivery', 'UDP guarantees delivery')).toEqual({
      fact: 'TCP guarantees delivery',
      supported: false,
      share: 2 / 3,
      matched: ['guarantee', 'delivery'],
      missing: ['tcp'],
    });
  });

  it('takes a threshold, within (0, 1]', () => {
    expect(
      checkFact('TCP guarantees delivery', 'UDP guarantees delivery', { threshold: 0.6 }).supported,
    ).toBe(true);
    expect(() => checkFact('a', 'b', { threshold: 0 })).toThrow(RangeError);
    expect(() => checkFact('a', 'b', { threshold: 1.5 })).toThrow(RangeError);
  });
});

describe('factCoverage', () => {
  it('counts the supported facts of a list, in order', () => {
    const answer = 'TCP is connection-oriented and guarantees delivery; UDP is not.';
    const coverage = factCoverage(
      ['TCP is connection-oriented', 'UDP is connectionless', 'TCP guarantees delivery'],
      answer,
    );
    expect(coverage.supported).toBe(2);
    expect(coverage.total).toBe(3);
    expect(coverage.perFact.map((check) => check.supported)).toEqual([true, false, true]);
    expect(coverage.perFact[1]!.missing).toEqual(['connectionless']);
  });

  it('is zero of zero for no facts', () => {
    expect(factCoverage([], 'anything')).toEqual({ supported: 0, total: 0, perFact: [] });
  });
});
