import { sql } from 'kysely';
import type { Store } from '../database.js';

/**
 * Hands out ids for a table that several nodes insert into: blocks of `blockSize` reserved from
 * `id_counters` (one atomic UPDATE per block), then given out in memory. Ids stay unique across
 * nodes and rise within a node; across nodes they interleave by block, not by time.
 */
export class IdBlocks {
  private next = 0;
  private end = 0;
  private reserving: Promise<void> | undefined;

  constructor(
    private readonly db: Store,
    private readonly name: string,
    /** The lowest id a block may start at (the table's max(id) + 1 when opened). */
    private floor: number,
    private readonly blockSize = 1000,
  ) {}

  /** `count` consecutive-or-not ids, each unique across the cluster. */
  async take(count: number): Promise<number[]> {
    const ids: number[] = [];
    while (ids.length < count) {
      if (this.next >= this.end) {
        this.reserving ??= this.reserve().finally(() => (this.reserving = undefined));
        await this.reserving;
        continue;
      }
      ids.push(this.next++);
    }
    return ids;
  }

  /** Ids given from now on are at least `min`: a block below it is dropped (its ids stay unused). */
  raiseFloor(min: number): void {
    if (min > this.floor) this.floor = min;
    if (this.next < min) this.end = this.next;
  }

  private async reserve(): Promise<void> {
    const size = this.blockSize;
    await this.db.insertInto('id_counters').values({ name: this.name, next: this.floor }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await this.db
      .updateTable('id_counters')
      .set({ next: sql<number>`greatest(next, ${this.floor}) + ${size}` })
      .where('name', '=', this.name)
      .returning('next')
      .executeTakeFirstOrThrow();
    this.end = Number(row.next);
    this.next = this.end - size;
    this.floor = this.end;
  }
}
