import type { Item } from './attribute-value.js';
import { MAX_PAGE_BYTES } from './api-limits.js';
import type { Condition, ExpressionEngine } from './expressions/contract.js';
import type { StoredRow } from './tables/item-ranges.js';

const BATCH_ROWS = 100;

export interface Page {
  /** The matching items as the caller shapes them (none for Select COUNT). */
  items: Item[];
  count: number;
  scannedCount: number;
  /** The row evaluation stopped at, when the page ended before the data did. */
  last?: StoredRow;
  scannedBytes: number;
}

/**
 * One page of a Query or Scan: rows are read in order until `limit` rows were evaluated or 1 MB
 * was read; the filter then decides which count (AWS applies it after the limit, so a page may
 * hold fewer items than the limit and still have a LastEvaluatedKey).
 */
export async function collectPage(options: {
  fetch: (after: StoredRow | undefined, limit: number) => Promise<StoredRow[]>;
  start?: StoredRow;
  limit?: number;
  filter?: Condition;
  engine: ExpressionEngine;
  /** The item as answered (projected, or fetched from the base table); undefined for COUNT. */
  shape?: (row: StoredRow, item: Item) => Promise<Item> | Item;
}): Promise<Page> {
  const { limit, filter, engine, shape } = options;
  const page: Page = { items: [], count: 0, scannedCount: 0, scannedBytes: 0 };
  let after = options.start;
  for (;;) {
    const want = limit === undefined ? BATCH_ROWS : Math.min(BATCH_ROWS, limit - page.scannedCount);
    const rows = await options.fetch(after, want);
    for (const row of rows) {
      page.scannedCount++;
      page.scannedBytes += row.size;
      const item = JSON.parse(row.item) as Item;
      if (!filter || engine.evaluate(filter, item)) {
        page.count++;
        if (shape) page.items.push(await shape(row, item));
      }
      after = row;
      // As AWS: a page that reached its limit or 1 MB has a LastEvaluatedKey, even if nothing follows.
      if ((limit !== undefined && page.scannedCount >= limit) || page.scannedBytes >= MAX_PAGE_BYTES) {
        page.last = row;
        return page;
      }
    }
    if (rows.length < want) return page;
  }
}
