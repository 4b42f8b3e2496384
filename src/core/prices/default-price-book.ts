import { catalogEntries } from './catalog-entries.js';
import { createPriceBook, type PriceBook } from './price-book.js';

let book: PriceBook | undefined;

/** The book of the committed catalog alone (no config), built on first use and then shared. */
export function defaultPriceBook(): PriceBook {
  book ??= createPriceBook(catalogEntries());
  return book;
}
