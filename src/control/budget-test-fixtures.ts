import type { AdmissionRequest, Settlement } from '../core/budgets/admission.js';
import type { Budget } from '../core/budgets/budget.js';
import { parseUsd } from '../core/money.js';
import type { Span, SpanCost } from '../core/spans/span.js';

/** Test fixtures of the budget guards: a $1 hard daily budget, a call's request, a priced settlement. */
export const budget = (overrides: Partial<Budget> = {}): Budget => ({
  id: 'global/day',
  scope: { kind: 'global' },
  period: 'day',
  timeZone: 'UTC',
  limit: parseUsd('1'),
  hard: true,
  thresholds: [50, 80, 90, 100],
  ...overrides,
});

export const call = (maxUsd: string, overrides: Partial<AdmissionRequest> = {}): AdmissionRequest => ({
  model: 'gpt-4o-mini',
  attribution: {},
  maxCost: parseUsd(maxUsd),
  ...overrides,
});

export const priced = (usd: string): SpanCost => ({
  status: 'priced',
  total: parseUsd(usd),
  priceId: 'gpt-4o-mini',
  source: 'litellm:gpt-4o-mini',
});

export const ok = (usd: string): Settlement => ({ cost: priced(usd), status: 'ok' });

/** A priced gpt-4o-mini call already in the ledger, an hour before `now`. */
export const ledgerSpan = (now: number, usd: string): Span => ({
  id: 'a1b2c3d4e5f60718',
  traceId: '0123456789abcdef0123456789abcdef',
  name: 'chat gpt-4o-mini',
  kind: 'llm',
  startTime: now - 3_600_000,
  durationMs: 100,
  status: 'ok',
  provider: 'openai',
  requestModel: 'gpt-4o-mini',
  usage: { input: 10, output: 10 },
  cost: priced(usd),
  attribution: {},
  attributes: {},
});
