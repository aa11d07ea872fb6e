import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openStore, type Store } from '../src/store/database.js';
import { physicalRowId, utcDayOfMs } from '../src/store/dialect-sql.js';
import { migrationProvider } from '../src/store/migrations/index.js';
import { createTestDatabase, NO_POSTGRES, postgresReachable, type TestDatabase } from './support/postgres.js';

/** A column as both engines describe it, in one vocabulary. */
interface Column {
  type: string;
  notNull: boolean;
}
type Shape = Record<string, Record<string, Column>>;

/** SQLite's declared types, in the words the PostgreSQL store uses for them (postgres/column-types.ts). */
const SQLITE_TO_POSTGRES: Record<string, string> = { integer: 'bigint', blob: 'bytea', text: 'text', bigint: 'bigint', 'double precision': 'double precision' };

async function sqliteShape(db: Kysely<any>): Promise<{ columns: Shape; indexes: Record<string, string[]> }> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(db);
  const columns: Shape = {};
  const indexes: Record<string, string[]> = {};
  for (const { name } of tables.rows) {
    const info = await sql<{ name: string; type: string; notnull: number; pk: number }>`select * from pragma_table_info(${name})`.execute(db);
    columns[name] = Object.fromEntries(
      info.rows.map((c) => [c.name, { type: SQLITE_TO_POSTGRES[c.type.toLowerCase()] ?? c.type.toLowerCase(), notNull: c.notnull === 1 || c.pk > 0 }]),
    );
    const list = await sql<{ name: string; origin: string }>`select name, origin from pragma_index_list(${name})`.execute(db);
    for (const index of list.rows.filter((i) => i.origin === 'c')) {
      const cols = await sql<{ name: string }>`select name from pragma_index_info(${index.name}) order by seqno`.execute(db);
      indexes[index.name] = [name, ...cols.rows.map((c) => c.name)];
    }
  }
  return { columns, indexes };
}

async function postgresShape(db: Kysely<any>): Promise<{ columns: Shape; indexes: Record<string, string[]>; collations: Set<string | null> }> {
  const rows = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string; collation_name: string | null }>`
    select table_name, column_name, data_type, is_nullable, collation_name from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely_%'`.execute(db);
  const columns: Shape = {};
  const collations = new Set<string | null>();
  for (const r of rows.rows) {
    (columns[r.table_name] ??= {})[r.column_name] = { type: r.data_type, notNull: r.is_nullable === 'NO' };
    if (r.data_type === 'text') collations.add(r.collation_name);
  }
  const indexRows = await sql<{ index: string; table: string; columns: string[] }>`
    select i.relname as index, t.relname as table, array_agg(a.attname::text order by k.ord) as columns
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    cross join lateral unnest(x.indkey) with ordinality as k(attnum, ord)
    join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
    where n.nspname = 'public' and not x.indisprimary and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
      and t.relname not like 'kysely_%'
    group by i.relname, t.relname`.execute(db);
  const indexes = Object.fromEntries(indexRows.rows.map((r) => [r.index, [r.table, ...r.columns]]));
  return { columns, indexes, collations };
}

const skip = (await postgresReachable()) ? false : NO_POSTGRES;

describe('PostgreSQL store', { skip }, () => {
  let database: TestDatabase;
  let db: Store;
  before(async () => {
    database = await createTestDatabase();
    // Two nodes starting together: both migrate, under the advisory lock, and neither fails.
    const [first, second] = await Promise.all([openStore({ kind: 'postgres', url: database.url }), openStore({ kind: 'postgres', url: database.url })]);
    await second.destroy();
    db = first;
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  test('nodes starting together run each migration once', async () => {
    const { rows } = await sql<{ name: string; n: number }>`select name, count(*) as n from kysely_migration group by name order by name`.execute(db);
    assert.deepEqual(rows.map((r) => r.name), Object.keys(await migrationProvider.getMigrations()).sort());
    assert.ok(rows.every((r) => r.n === 1));
  });

  test('the migrations give the same tables, columns and indexes as on SQLite, every text column in binary order', async () => {
    const sqlite = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
    try {
      const expected = await sqliteShape(sqlite);
      const actual = await postgresShape(db);
      assert.deepEqual(actual.columns, expected.columns);
      assert.deepEqual(actual.indexes, expected.indexes);
      assert.deepEqual([...actual.collations], ['C']);
    } finally {
      await sqlite.destroy();
    }
  });

  test('bigint columns, counts and sums come back as numbers; blobs as Buffers', async () => {
    await db.insertInto('credentials').values({ access_key_id: 'AKIDNUMBERS', secret_access_key: 's', account_id: '123456789012', created_at: 1_767_225_600_123 }).execute();
    const row = await db.selectFrom('credentials').select(['created_at']).where('access_key_id', '=', 'AKIDNUMBERS').executeTakeFirstOrThrow();
    assert.equal(row.created_at, 1_767_225_600_123);
    const counted = await db.selectFrom('credentials').select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('created_at').as('total')]).executeTakeFirstOrThrow();
    assert.deepEqual(counted, { n: 1, total: 1_767_225_600_123 });
    const payload = Buffer.from([0, 1, 254, 255]);
    await db
      .insertInto('async_events')
      .values({ id: 1, account_id: 'a', region: 'r', function_name: 'f', qualifier: null, request_id: 'q', trace_id: null, payload, enqueued_at: 1, invoke_count: 0, error_count: 0, throttle_count: 0, last_response: null, next_attempt_at: 1 })
      .execute();
    const event = await db.selectFrom('async_events').select(['payload', 'id']).executeTakeFirstOrThrow();
    assert.deepEqual([Buffer.from(event.payload), event.id], [payload, 1]);
  });

  test('text compares and sorts byte by byte, as on SQLite', async () => {
    const names = ['b', 'B', '_x', 'a-1', 'a_1', 'é', 'Z', '10', '9'];
    for (const name of names) {
      await db.insertInto('lambda_functions').values({ account_id: 'order', region: 'r', name, created_at: 0, tags: '{}', reserved_concurrency: null, last_version: 0 }).execute();
    }
    const sorted = await db.selectFrom('lambda_functions').select('name').where('account_id', '=', 'order').orderBy('name').execute();
    assert.deepEqual(sorted.map((r) => r.name), [...names].sort());
    const above = await db.selectFrom('lambda_functions').select('name').where('account_id', '=', 'order').where('name', '>', 'Z').orderBy('name').execute();
    assert.deepEqual(above.map((r) => r.name), names.filter((n) => n > 'Z').sort());
  });

  test('transactions from several nodes at once lose no update (read, then write what was read)', async () => {
    const other = await openStore({ kind: 'postgres', url: database.url });
    try {
      await db.insertInto('lambda_functions').values({ account_id: 'race', region: 'r', name: 'counter', created_at: 0, tags: '{}', reserved_concurrency: null, last_version: 0 }).execute();
      const bump = (store: Store) =>
        store.transaction().execute(async (trx) => {
          const row = await trx.selectFrom('lambda_functions').select('last_version').where('account_id', '=', 'race').executeTakeFirstOrThrow();
          await new Promise((resolve) => setTimeout(resolve, 1));
          await trx.updateTable('lambda_functions').set({ last_version: row.last_version + 1 }).where('account_id', '=', 'race').execute();
        });
      await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 === 0 ? db : other)));
      const row = await db.selectFrom('lambda_functions').select('last_version').where('account_id', '=', 'race').executeTakeFirstOrThrow();
      assert.equal(row.last_version, 40);
    } finally {
      await other.destroy();
    }
  });

  test('the SQL that differs between the engines: batch deletes by physical row and UTC days', async () => {
    for (let i = 0; i < 5; i++) {
      await db.insertInto('logs_groups').values({ account_id: 'batch', region: 'r', name: `g${i}`, created_at: Date.UTC(2026, 1, 28, 23, 59, 59, 999) + i }).execute();
    }
    const days = await db.selectFrom('logs_groups').select(utcDayOfMs(db, 'created_at').as('day')).where('account_id', '=', 'batch').orderBy('created_at').execute();
    assert.deepEqual(days.map((r) => r.day), ['2026-02-28', '2026-03-01', '2026-03-01', '2026-03-01', '2026-03-01']);
    const inner = db.selectFrom('logs_groups').select(physicalRowId(db).as('rid')).where('account_id', '=', 'batch').limit(3);
    const deleted = await db.deleteFrom('logs_groups').where(sql<boolean>`${physicalRowId(db)} in (${inner})`).executeTakeFirst();
    assert.equal(Number(deleted.numDeletedRows), 3);
    const left = await db.selectFrom('logs_groups').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', 'batch').executeTakeFirstOrThrow();
    assert.equal(left.n, 2);
  });
});
