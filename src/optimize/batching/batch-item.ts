import { UsageError } from '../../core/errors.js';
import type { GenerateRequest } from '../../providers/chat-model.js';

/** One unit of offline work: a prompt with an id that maps its answer back. */
export type BatchItem = { readonly id: string; readonly prompt: string };

/** What every item's request shares. */
export type ItemRequestOptions = {
  /** A system prompt sent before each item (and before a packed prompt). */
  readonly system?: string | undefined;
  readonly maxOutputTokens?: number | undefined;
  readonly temperature?: number | undefined;
};

/** The request that asks one item on its own. */
export function itemRequest(item: BatchItem, options: ItemRequestOptions): GenerateRequest {
  return {
    messages: [
      ...(options.system === undefined ? [] : [{ role: 'system' as const, content: options.system }]),
      { role: 'user', content: item.prompt },
    ],
    maxOutputTokens: options.maxOutputTokens,
    temperature: options.temperature,
  };
}

/** Refuses an empty list, an empty id or prompt, and an id used twice, naming the item. */
export function checkItems(items: readonly BatchItem[]): void {
  if (items.length === 0) throw new UsageError('no items to run');
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const where = `item ${index + 1}${item.id ? ` ('${item.id}')` : ''}`;
    if (item.id === '') throw new UsageError(`${where}: the id is empty`);
    if (item.prompt.trim() === '') throw new UsageError(`${where}: the prompt is empty`);
    if (seen.has(item.id)) throw new UsageError(`${where}: the id '${item.id}' is used twice`);
    seen.add(item.id);
  });
}
