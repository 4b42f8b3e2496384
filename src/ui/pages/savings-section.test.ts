import { describe, expect, it } from 'vitest';
import type { GatewaySavings } from '../../core/spans/gateway-savings.js';
import { savingsSection } from './savings-section.js';

const none: GatewaySavings = {
  cacheHits: [
    { status: 'hit', calls: 0, saved: 0n, unknownSavedCalls: 0 },
    { status: 'semantic-hit', calls: 0, saved: 0n, unknownSavedCalls: 0 },
  ],
  routed: [],
};

describe('savingsSection', () => {
  it('says how to turn the cache and the router on when they did nothing', () => {
    const html = savingsSection(none, 'last 30 days');
    expect(html).toContain('id="no-cache-hits"');
    expect(html).toContain('No cache hits yet, last 30 days — enable <code>gateway.cache</code>');
    expect(html).toContain('id="no-routed"');
    expect(html).not.toContain('<table');
  });

  it('shows exact savings per kind of hit, the hits of unpriced calls apart, and routed spend escaped', () => {
    const html = savingsSection(
      {
        cacheHits: [
          { status: 'hit', calls: 1, saved: 2n ** 53n + 1n, unknownSavedCalls: 0 },
          { status: 'semantic-hit', calls: 3, saved: 1n, unknownSavedCalls: 1 },
        ],
        routed: [
          { requestedModel: 'frugal/<auto>', model: null, calls: 2, cost: 10n ** 12n, unpricedCalls: 1 },
        ],
      },
      'last 7 days',
    );
    // 2^53 + 2 pico-dollars: summed as bigint and printed exactly, which floats could not.
    expect(html).toContain('data-saved-picos="9007199254740994" data-hits="4"');
    expect(html).toContain('4 calls answered from the cache saved <b>$9007.199254740994</b>');
    expect(html).toContain('(and 1 hit of unpriced calls, whose saving is unknown)');
    expect(html).toContain('<td class="num" data-sort="1">$0.000000000001</td>');
    expect(html).toContain('<td>frugal/&#60;auto&#62;</td><td>(none)</td>');
    expect(html).toContain('<td class="num" data-sort="1000000000000">$1.00</td>');
    expect(html).not.toContain('id="no-cache-hits"');
  });
});
