import type { Picodollars } from '../money.js';

/** Which repeated requests to find: spans with the same `requestHash` at least `minCalls` times in [from, to). */
export type RepeatQuery = {
  /** Epoch ms, inclusive. */
  readonly from: number;
  /** Epoch ms, exclusive. */
  readonly to: number;
  readonly minCalls: number;
  /** At most this many groups, most calls first (default 100). */
  readonly limit?: number | undefined;
};

/** One request sent many times: how often, how many failed, over what stretch, at what cost. */
export type RepeatedRequest = {
  readonly requestHash: string;
  readonly calls: number;
  readonly errorCalls: number;
  /** Epoch ms of the first and last call's start. */
  readonly firstTime: number;
  readonly lastTime: number;
  /** Exact sum over priced calls; unpriced calls are counted, never $0. */
  readonly cost: Picodollars;
  readonly unpricedCalls: number;
  /** The model (as the ledger reports it) and feature of one of the calls; null when it had none. */
  readonly model: string | null;
  readonly feature: string | null;
};
