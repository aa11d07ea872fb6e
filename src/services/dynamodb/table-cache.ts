import type { Store } from '../../store/database.js';
import type { Table } from './table-model.js';
import type { TableWriteTransaction } from './table-write-transaction.js';
import { findTable, type TableKey } from './tables/tables.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

const MAX_CACHED_TABLES = 1000;

/**
 * Tables as item operations see them, read once rather than per request: reading and parsing the
 * row was a third of a PutItem's server time. Table rows change only inside `writing`, which
 * clears the cache as it starts and as it ends and makes every lookup meanwhile read the store. A
 * row read while no write was under way and with none started since is the committed row, so it is
 * kept; whatever the store holds later, a write has cleared it first.
 */
export class TableCache {
  private readonly tables = new Map<string, Table>();
  /** Bumped at each write's start and end: a read that saw it move may have read a stale row. */
  private generation = 0;
  private writesUnderWay = 0;

  async find(db: Db, key: TableKey): Promise<Table | undefined> {
    const id = `${key.accountId}\0${key.region}\0${key.name}`;
    const idle = this.writesUnderWay === 0;
    if (idle) {
      const cached = this.tables.get(id);
      if (cached) return cached;
    }
    const generation = this.generation;
    const table = await findTable(db, key);
    if (table && idle && this.writesUnderWay === 0 && this.generation === generation) {
      if (this.tables.size >= MAX_CACHED_TABLES) this.tables.clear();
      this.tables.set(id, table);
    }
    return table;
  }

  /** Runs `write` in a transaction that may change table rows. */
  async writing<T>(db: Store, write: (tx: TableWriteTransaction) => Promise<T>): Promise<T> {
    this.startWrite();
    try {
      return await db.transaction().execute((tx) => write(tx as TableWriteTransaction));
    } finally {
      this.endWrite();
    }
  }

  private startWrite(): void {
    this.writesUnderWay++;
    this.generation++;
    this.tables.clear();
  }

  private endWrite(): void {
    this.writesUnderWay--;
    this.generation++;
    this.tables.clear();
  }
}
