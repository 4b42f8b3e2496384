import { describe, expect, it } from 'vitest';
import type { GatewaySavings } from '../core/spans/gateway-savings.js';
import type { Span } from '../core/spans/span.js';
import type { WithDatabase } from './store-contract.js';

const minute = 60_000;
const t0 = Date.UTC(2026, 3, 6, 12);
const window = { from: t0, to: t0 + 60 * minute };

const priced = (total: bigint): Span['cost'] => ({ status: 'priced', total, priceId: 'p', source: 'test' });

function call(id: string, minutes: number, fields: Partial<Span> = {}): Span {
  return {
    id,
    traceId: `trace-${id}`,
    name: 'chat',
    kind: 'llm',
    startTime: t0 + minutes * minute,
    durationMs: 3,
    status: 'ok',
    requestModel: 'gpt-4o-mini',
    cost: priced(0n),
    attribution: { feature: 'faq', tags: ['prod'] },
    attributes: { 'frugal.gateway.route': 'chat' },
    ...fields,
  };
}

const hit = (id: string, minutes: number, saved: string | undefined, fields: Partial<Span> = {}) =>
  call(id, minutes, {
    ...fields,
    attributes: {
      'frugal.cache.status': 'hit',
      ...(saved === undefined ? {} : { 'frugal.cache.saved_usd': saved }),
      ...fields.attributes,
    },
  });

/** 9,007,199,254,740,993 pico-dollars: 2^53 + 1, which a float of dollars or picos cannot hold. */
const big = '9007.199254740993';

/** Hits, semantic hits and routed calls in the window, and what must not count: misses, steps, the edges. */
const traffic: Span[] = [
  hit('h1', 1, big),
  hit('h2', 2, big),
  hit('h3', 3, '0.000000000001'),
  hit('h4', 4, undefined), // the original call was unpriced: a hit, with nothing known saved
  hit('h5', 5, '0.5', { attribution: { feature: 'search' } }),
  hit('s1', 6, '0.25', {
    attributes: { 'frugal.cache.status': 'semantic-hit', 'frugal.cache.similarity': 0.97 },
  }),
  hit('s2', 7, 'not-a-number', { attributes: { 'frugal.cache.status': 'semantic-hit' } }),
  call('miss', 8, { attributes: { 'frugal.cache.status': 'miss' }, cost: priced(5n) }),
  call('bypass', 9, { attributes: { 'frugal.cache.status': 'bypass' } }),
  hit('step', 10, '1', { kind: 'step' }),
  hit('before', -1, '1'),
  hit('at-end', 60, '1'),
  // Routed: two policies' requests, one redirected call unpriced, one answered under a dated model name.
  call('r1', 11, { attributes: { 'frugal.route.requested_model': 'frugal/auto' }, cost: priced(2n ** 62n) }),
  call('r2', 12, { attributes: { 'frugal.route.requested_model': 'frugal/auto' }, cost: priced(1_000_001n) }),
  call('r3', 13, {
    requestModel: 'gpt-4o',
    responseModel: 'gpt-4o-2024-08-06',
    attributes: { 'frugal.route.requested_model': 'frugal/auto', 'frugal.route.reason': 'long prompt' },
    cost: priced(7n),
  }),
  call('r4', 14, {
    requestModel: 'mystery',
    attributes: { 'frugal.route.requested_model': 'frugal/auto' },
    cost: { status: 'unpriced', reason: 'unknown-model', message: 'no price' },
  }),
  call('r5', 15, {
    attribution: { feature: 'search', tags: ['eval'] },
    attributes: { 'frugal.route.requested_model': 'frugal/cheap' },
    cost: priced(3n),
  }),
  call('r-step', 16, { kind: 'step', attributes: { 'frugal.route.requested_model': 'frugal/auto' } }),
  call('r-late', 61, { attributes: { 'frugal.route.requested_model': 'frugal/auto' } }),
];

const picos = (dollars: string) => {
  const [whole = '0', fraction = ''] = dollars.split('.');
  return BigInt(whole) * 10n ** 12n + BigInt(fraction.padEnd(12, '0'));
};

const day = 86_400_000;

/** The savings of several ranges added up, ordered as `Store.gatewaySavings` orders them. */
function mergeSavings(parts: readonly GatewaySavings[]): GatewaySavings {
  const cacheHits = parts[0]!.cacheHits.map((entry) => ({
    ...entry,
    calls: 0,
    saved: 0n,
    unknownSavedCalls: 0,
  }));
  const routed = new Map<string, GatewaySavings['routed'][number]>();
  for (const part of parts) {
    part.cacheHits.forEach((entry, index) => {
      const sum = cacheHits[index]!;
      sum.calls += entry.calls;
      sum.saved += entry.saved;
      sum.unknownSavedCalls += entry.unknownSavedCalls;
    });
    for (const entry of part.routed) {
      const key = JSON.stringify([entry.requestedModel, entry.model]);
      const before = routed.get(key);
      routed.set(
        key,
        before === undefined
          ? entry
          : {
              ...entry,
              calls: before.calls + entry.calls,
              cost: before.cost + entry.cost,
              unpricedCalls: before.unpricedCalls + entry.unpricedCalls,
            },
      );
    }
  }
  const text = (value: string | null) => value ?? '\uffff';
  return {
    cacheHits,
    routed: [...routed.values()].sort(
      (a, b) =>
        (a.cost === b.cost ? 0 : a.cost > b.cost ? -1 : 1) ||
        (text(a.requestedModel) < text(b.requestedModel)
          ? -1
          : text(a.requestedModel) > text(b.requestedModel)
            ? 1
            : 0) ||
        (text(a.model) < text(b.model) ? -1 : text(a.model) > text(b.model) ? 1 : 0),
    ),
  };
}

/** `Store.gatewaySavings`: exact sums of what the cache saved and what routed requests spent. */
export function describeSavingsContract(name: string, withDatabase: WithDatabase): void {
  describe(`${name}: gateway savings`, () => {
    it('sums cache hits exactly per status and routed spend per asked and answering model', async () => {
      await withDatabase(async (database) => {
        const store = await database.open();
        await store.insertSpans(traffic);
        const expected: GatewaySavings = {
          cacheHits: [
            {
              status: 'hit',
              calls: 5,
              saved: 2n * picos(big) + 1n + picos('0.5'),
              unknownSavedCalls: 1,
            },
            { status: 'semantic-hit', calls: 2, saved: picos('0.25'), unknownSavedCalls: 1 },
          ],
          routed: [
            {
              requestedModel: 'frugal/auto',
              model: 'gpt-4o-mini',
              calls: 2,
              cost: 2n ** 62n + 1_000_001n,
              unpricedCalls: 0,
            },
            {
              requestedModel: 'frugal/auto',
              model: 'gpt-4o-2024-08-06',
              calls: 1,
              cost: 7n,
              unpricedCalls: 0,
            },
            { requestedModel: 'frugal/cheap', model: 'gpt-4o-mini', calls: 1, cost: 3n, unpricedCalls: 0 },
            { requestedModel: 'frugal/auto', model: 'mystery', calls: 1, cost: 0n, unpricedCalls: 1 },
          ],
        };
        expect(await store.gatewaySavings(window)).toStrictEqual(expected);
      });
    });

    it('applies the spend filters and the range, and answers zeros when nothing matches', async () => {
      await withDatabase(async (database) => {
        const store = await database.open();
        await store.insertSpans(traffic);
        const search = await store.gatewaySavings({ ...window, filters: { feature: ['search'] } });
        expect(search.cacheHits.map((entry) => [entry.status, entry.calls, entry.saved])).toEqual([
          ['hit', 1, picos('0.5')],
          ['semantic-hit', 0, 0n],
        ]);
        expect(search.routed.map((entry) => entry.requestedModel)).toEqual(['frugal/cheap']);
        const eval_ = await store.gatewaySavings({
          ...window,
          filters: { tag: ['eval'], model: ['gpt-4o-mini'] },
        });
        expect(eval_.cacheHits.map((entry) => entry.calls)).toEqual([0, 0]);
        expect(eval_.routed).toEqual([
          { requestedModel: 'frugal/cheap', model: 'gpt-4o-mini', calls: 1, cost: 3n, unpricedCalls: 0 },
        ]);
        // Open-ended ranges reach the edges' calls; an empty filter list matches nothing.
        const all = await store.gatewaySavings({});
        expect(all.cacheHits[0]!.calls).toBe(7);
        expect(
          all.routed.find((entry) => entry.model === 'gpt-4o-mini' && entry.requestedModel === 'frugal/auto')
            ?.calls,
        ).toBe(3);
        const none = await store.gatewaySavings({ ...window, filters: { user: [] } });
        expect(none).toStrictEqual({
          cacheHits: [
            { status: 'hit', calls: 0, saved: 0n, unknownSavedCalls: 0 },
            { status: 'semantic-hit', calls: 0, saved: 0n, unknownSavedCalls: 0 },
          ],
          routed: [],
        });
      });
    });

    it('answers whole days (from the rollup where a store keeps one) as the spans do, half a day at a time', async () => {
      await withDatabase(async (database) => {
        const store = await database.open();
        // The traffic again on each of five days, shifted a little more each day, so that days and edges differ.
        const days = [0, 1, 2, 3, 4].flatMap((k) =>
          traffic.map((span) => ({
            ...span,
            id: `${span.id}-${k}`,
            startTime: span.startTime + k * (day + 97 * minute),
          })),
        );
        await store.insertSpans(days);
        const midnight = Math.floor(t0 / day) * day;
        const ranges = [
          { from: midnight - day, to: midnight + 6 * day },
          { from: t0 - 3 * 60 * minute, to: t0 + 3 * day + 61 * minute },
        ];
        const filterSets = [
          undefined,
          { feature: ['faq'] },
          { feature: ['search', null] },
          { tag: ['prod'] },
          { user: [null] },
          { model: ['gpt-4o-mini', 'mystery'] },
        ];
        for (const range of ranges) {
          for (const filters of filterSets) {
            const whole = await store.gatewaySavings({ ...range, filters });
            const halves: GatewaySavings[] = [];
            for (let from = range.from; from < range.to; from += day / 2)
              halves.push(
                await store.gatewaySavings({ from, to: Math.min(from + day / 2, range.to), filters }),
              );
            expect(whole).toStrictEqual(mergeSavings(halves));
          }
        }
        // Not vacuous: hits, saved amounts and routed calls were counted on more than one day.
        const all = await store.gatewaySavings(ranges[0]!);
        expect(all.cacheHits[0]!.calls).toBe(35);
        expect(all.cacheHits[0]!.saved).toBe(5n * (2n * picos(big) + 1n + picos('0.5') + picos('2')));
        expect(all.routed.reduce((sum, entry) => sum + entry.calls, 0)).toBe(30);
      });
    });

    it('refuses a range that is not whole epoch milliseconds', async () => {
      await withDatabase(async (database) => {
        const store = await database.open();
        await expect(store.gatewaySavings({ from: 1.5 })).rejects.toThrow(/'from' must be an integer/);
      });
    });
  });
}
