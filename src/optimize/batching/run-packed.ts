import type { Picodollars } from '../../core/money.js';
import type { ChatModel, GenerateRequest } from '../../providers/chat-model.js';
import { type BatchItem, checkItems, type ItemRequestOptions, itemRequest } from './batch-item.js';
import { callEach, errorText } from './call-each.js';
import { type CallTally, combineTallies, exactDifference, tallyCalls } from './call-tally.js';
import { packedPrompt, parsePackedAnswer } from './packed-prompt.js';
import type { PriceOptions } from './price-usage.js';

export type RunPackedOptions = ItemRequestOptions &
  PriceOptions & {
    readonly items: readonly BatchItem[];
    readonly model: ChatModel;
    /** Items per prompt (≥ 1). `maxOutputTokens` stays per item: a packed call may use it once per item. */
    readonly packSize: number;
    /** Calls in flight at once (default 4). */
    readonly concurrency?: number | undefined;
    readonly signal?: AbortSignal | undefined;
    /** Also ask every item on its own, to measure the saving and any loss of quality (doubles the calls). */
    readonly compare?: boolean | undefined;
    /** Scores an answer in [0, 1] (e.g. against an expected answer); an unanswered item scores 0. */
    readonly score?: ((item: BatchItem, answer: string) => number) | undefined;
  };

/** What became of one item. */
export type PackedItemOutcome = {
  readonly id: string;
  /** `packed`: answered in a packed prompt; `retry`: asked alone after that failed; `failed`: neither. */
  readonly via: 'packed' | 'retry' | 'failed';
  readonly text: string | undefined;
  /** Why it has no answer. */
  readonly error: string | undefined;
  /** With `compare`: the answer to the item asked alone. */
  readonly alone?: { readonly text: string | undefined; readonly error: string | undefined } | undefined;
};

/** Mean scores in [0, 1] over all items (unanswered = 0). */
export type PackedQuality = { readonly packed: number; readonly alone: number | undefined };

/** A packed run: answers, calls, tokens, exact cost, and (with `compare`) the same items one call each. */
export type PackedRunReport = {
  readonly model: string;
  readonly simulated: boolean;
  readonly packSize: number;
  readonly items: readonly PackedItemOutcome[];
  /** The packed calls. */
  readonly packed: CallTally;
  /** The items asked again alone because their packed answer was missing or unreadable. */
  readonly retries: CallTally;
  readonly retriedIds: readonly string[];
  /** packed + retries: what packing spent. */
  readonly spent: CallTally;
  /** With `compare`: one call per item, measured. */
  readonly oneCallPerItem: CallTally | undefined;
  /** oneCallPerItem − spent, exact, with `compare` and everything priced (negative: packing cost more). */
  readonly saving: Picodollars | undefined;
  readonly quality: PackedQuality | undefined;
};

/**
 * Packs items `packSize` to a prompt (see `packedPrompt`), reads each reply back to its items and asks alone
 * exactly the items whose answer is missing or unreadable (or whose packed call failed). Every call is priced
 * exactly at the model's standard rates. With `compare`, every item is also asked alone, so the saving and the
 * quality difference are measured, not estimated.
 */
export async function runPacked(options: RunPackedOptions): Promise<PackedRunReport> {
  const { items, model, packSize, score } = options;
  checkItems(items);
  if (!(Number.isSafeInteger(packSize) && packSize >= 1)) {
    throw new RangeError(`packSize must be an integer ≥ 1, got ${packSize}`);
  }
  const groups: BatchItem[][] = [];
  for (let start = 0; start < items.length; start += packSize)
    groups.push(items.slice(start, start + packSize));
  const packedRequests = groups.map((group) => ({
    itemIds: group.map((item) => item.id),
    request: packedRequest(group, options),
  }));
  const packedOutcomes = await callEach(model, packedRequests, options);

  const answers = new Map<string, string>();
  const errors = new Map<string, string>();
  packedOutcomes.forEach((outcome, index) => {
    const group = groups[index]!;
    if (!outcome.ok) {
      for (const item of group) errors.set(item.id, `packed call failed: ${errorText(outcome.error)}`);
      return;
    }
    const parsed = parsePackedAnswer(outcome.result.text, group.length);
    group.forEach((item, position) => {
      const answer = parsed[position];
      if (answer === undefined) errors.set(item.id, 'no readable answer in the packed reply');
      else answers.set(item.id, answer);
    });
  });

  const retried = items.filter((item) => !answers.has(item.id));
  const single = (list: readonly BatchItem[]) =>
    callEach(
      model,
      list.map((item) => ({ itemIds: [item.id], request: itemRequest(item, options) })),
      options,
    );
  const retryOutcomes = await single(retried);
  const retriedAnswers = new Set<string>();
  retryOutcomes.forEach((outcome, index) => {
    const id = retried[index]!.id;
    if (outcome.ok) {
      answers.set(id, outcome.result.text);
      retriedAnswers.add(id);
    } else errors.set(id, `${errors.get(id)}; asked alone: ${errorText(outcome.error)}`);
  });
  const aloneOutcomes = options.compare ? await single(items) : undefined;

  const outcomes: PackedItemOutcome[] = items.map((item, index) => {
    const text = answers.get(item.id);
    const via = text === undefined ? 'failed' : retriedAnswers.has(item.id) ? 'retry' : 'packed';
    const alone = aloneOutcomes?.[index];
    return {
      id: item.id,
      via,
      text,
      error: text === undefined ? errors.get(item.id) : undefined,
      ...(alone === undefined
        ? {}
        : {
            alone: alone.ok
              ? { text: alone.result.text, error: undefined }
              : { text: undefined, error: errorText(alone.error) },
          }),
    };
  });
  const packed = tallyCalls(packedOutcomes.flatMap((outcome) => (outcome.ok ? [outcome.call] : [])));
  const retries = tallyCalls(retryOutcomes.flatMap((outcome) => (outcome.ok ? [outcome.call] : [])));
  const spent = combineTallies(packed, retries);
  const oneCallPerItem =
    aloneOutcomes && tallyCalls(aloneOutcomes.flatMap((outcome) => (outcome.ok ? [outcome.call] : [])));
  const mean = (texts: readonly (string | undefined)[]) =>
    texts.reduce((sum, text, index) => sum + (text === undefined ? 0 : score!(items[index]!, text)), 0) /
    items.length;
  return {
    model: model.id,
    simulated: model.simulated,
    packSize,
    items: outcomes,
    packed,
    retries,
    retriedIds: retried.map((item) => item.id),
    spent,
    oneCallPerItem,
    saving: oneCallPerItem && exactDifference(oneCallPerItem, spent),
    quality: score && {
      packed: mean(outcomes.map((outcome) => outcome.text)),
      alone: aloneOutcomes && mean(outcomes.map((outcome) => outcome.alone?.text)),
    },
  };
}

/** The request for a group: the shared system prompt, then the packed items; the output cap grows per item. */
function packedRequest(group: readonly BatchItem[], options: ItemRequestOptions): GenerateRequest {
  const { system, maxOutputTokens, temperature } = options;
  return {
    messages: [
      ...(system === undefined ? [] : [{ role: 'system' as const, content: system }]),
      { role: 'user', content: packedPrompt(group.map((item) => item.prompt)) },
    ],
    maxOutputTokens: maxOutputTokens === undefined ? undefined : (maxOutputTokens + 32) * group.length,
    temperature,
  };
}
