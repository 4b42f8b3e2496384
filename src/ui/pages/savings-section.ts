import { formatUsd, type Picodollars } from '../../core/money.js';
import type { GatewaySavings } from '../../core/spans/gateway-savings.js';
import { escapeHtml } from '../report/report-html.js';

const count = (value: number) => value.toLocaleString('en-US');
/** Exact dollars: savings are often fractions of a cent, which rounding to cents would show as $0.00. */
const usd = (amount: Picodollars) => `$${escapeHtml(formatUsd(amount))}`;
const statusLabel = { hit: 'exact hits', 'semantic-hit': 'semantic hits' } as const;

/**
 * What the gateway's cache saved (hits per kind and the exact sum of what their original calls cost) and where
 * its router sent requests (per asked and chosen model, with their spend), over the page's range and filters;
 * each with an empty state that says how to turn it on.
 */
export function savingsSection(savings: GatewaySavings, rangeLabel: string): string {
  const hits = savings.cacheHits.reduce((sum, entry) => sum + entry.calls, 0);
  let cache: string;
  if (hits === 0) {
    cache = `<p class="meta" id="no-cache-hits">No cache hits yet, ${escapeHtml(rangeLabel)} — enable <code>gateway.cache</code> (the exact cache, on by default in <code>npx frugal gateway</code>) or <code>gateway.semantic_cache</code>, and send repeated questions through the gateway.</p>`;
  } else {
    const saved = savings.cacheHits.reduce((sum, entry) => sum + entry.saved, 0n);
    const unknown = savings.cacheHits.reduce((sum, entry) => sum + entry.unknownSavedCalls, 0);
    const rows = savings.cacheHits
      .map(
        (entry) =>
          `<tr data-status="${entry.status}"><td>${statusLabel[entry.status]}</td><td class="num" data-sort="${entry.calls}">${count(entry.calls)}</td><td class="num" data-sort="${entry.saved}">${usd(entry.saved)}</td><td class="num" data-sort="${entry.unknownSavedCalls}">${entry.unknownSavedCalls > 0 ? `<span class="fail">${count(entry.unknownSavedCalls)}</span>` : '0'}</td></tr>`,
      )
      .join('');
    cache = `<p id="cache-saved" data-saved-picos="${saved}" data-hits="${hits}">${count(hits)} ${hits === 1 ? 'call' : 'calls'} answered from the cache saved <b>${usd(saved)}</b>, what their original calls cost${unknown > 0 ? ` (and ${count(unknown)} ${unknown === 1 ? 'hit' : 'hits'} of unpriced calls, whose saving is unknown)` : ''}.</p>
<table id="cache-savings" class="sortable"><thead><tr><th>cache</th><th class="num">hits</th><th class="num">saved</th><th class="num">saving unknown</th></tr></thead><tbody>${rows}</tbody></table>`;
  }
  const router =
    savings.routed.length === 0
      ? `<p class="meta" id="no-routed">No routed requests, ${escapeHtml(rangeLabel)} — set <code>gateway.router.policy</code> (a learned router or tiers under <code>gateway.policies</code>) and ask the gateway for its alias, e.g. <code>frugal/auto</code>.</p>`
      : `<table id="routed" class="sortable"><thead><tr><th>asked for</th><th>sent to</th><th class="num">calls</th><th class="num">spend</th><th class="num">unpriced</th></tr></thead><tbody>${savings.routed
          .map(
            (entry) =>
              `<tr><td>${escapeHtml(entry.requestedModel)}</td><td>${escapeHtml(entry.model ?? '(none)')}</td><td class="num" data-sort="${entry.calls}">${count(entry.calls)}</td><td class="num" data-sort="${entry.cost}">${usd(entry.cost)}</td><td class="num" data-sort="${entry.unpricedCalls}">${entry.unpricedCalls > 0 ? `<span class="fail">${count(entry.unpricedCalls)}</span>` : '0'}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<h2 id="savings">Savings</h2><h3>Cache</h3>${cache}<h3>Router</h3>${router}`;
}
