import { hashParts } from './seeded-random.js';

/**
 * Which judge replies to spoil, so that a judge's retry path can be tested: the calls numbered in `calls`
 * (1-based, counting every call of one simulated model), and each other call with probability `rate`,
 * drawn from (seed, call number) so that a retry, being a new call, usually gets a good reply.
 */
export type MalformedInjection = {
  readonly rate?: number | undefined;
  readonly calls?: readonly number[] | undefined;
};

/** Whether call `callNumber` gets a malformed reply. */
export function isMalformedCall(
  injection: MalformedInjection | undefined,
  seed: number,
  callNumber: number,
): boolean {
  if (!injection) return false;
  if (injection.calls?.includes(callNumber)) return true;
  const rate = injection.rate ?? 0;
  return rate > 0 && hashParts(seed, 'malformed', callNumber) / 4_294_967_296 < rate;
}

/**
 * A spoiled version of a JSON reply, of the kinds real judges produce, chosen by call number: prose with no
 * JSON; the JSON cut off half way; JSON without its `verdict`; JSON with a trailing comma.
 */
export function malformedReply(reply: string, callNumber: number): string {
  switch (callNumber % 4) {
    case 1:
      return 'Sure! Having read the answer carefully, I think it is mostly right.';
    case 2:
      return reply.slice(0, Math.max(1, Math.floor(reply.length / 2)));
    case 3: {
      const { verdict: _verdict, ...rest } = JSON.parse(reply) as Record<string, unknown>;
      return JSON.stringify(rest);
    }
    default:
      return `${reply.slice(0, -1)},}`;
  }
}
