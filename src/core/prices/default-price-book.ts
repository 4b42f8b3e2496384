import { catalogEntries } from './catalog-entries.js';
import { createPriceBook, type PriceBook } from './price-book.js';
import { simulatedPriceEntries } from './simulated-prices.js';

let book: PriceBook | undefined;

/**
 * The book of the committed catalog plus the simulator's declared `sim/*` prices (no config), built on first
 * use and then shared.
 */
export function defaultPriceBook(): PriceBook {
  book ??= createPriceBook([...catalogEntries(), ...simulatedPriceEntries]);
  return book;
}
