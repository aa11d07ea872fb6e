import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
} from 'kysely';
import { createLogger } from '../src/logger.js';
import { openStore, type Store } from '../src/store/database.js';
import { listUsageRecords, UsageRecords } from '../src/observability/usage-records.js';
import { createTestDatabase, NO_POSTGRES, postgresReachable } from './support/postgres.js';
import { RowInserter } from '../src/store/row-inserter.js';
import { FunctionLogs, touchStreamsParameters, touchStreamsQuery, type StreamTouch } from '../src/observability/function-logs.js';

/** A store that only compiles, in each dialect the store runs on. */
const dialects: Array<[string, Store]> = [
  ['SQLite', new Kysely({ dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() } }) as Store],
  ['PostgreSQL', new Kysely({ dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() } }) as Store],
];

const batch = (id: number, events: string | null) => ({ id, stream_id: id * 10, first_timestamp: id + 1, last_timestamp: id + 2, ingestion_time: id + 3, event_count: id % 7, events: events as string });

describe('statements compiled once per shape', () => {
  for (const [name, db] of dialects) {
    test(`${name}: a cached multi-row INSERT is exactly the statement Kysely builds for the same rows`, () => {
      const insert = new RowInserter('logs_event_batches', ['id', 'stream_id', 'first_timestamp', 'last_timestamp', 'ingestion_time', 'event_count', 'events']);
      for (const count of [1, 3, 1, 3, 200]) {
        const rows = Array.from({ length: count }, (_, i) => batch(count * 1000 + i, i % 2 ? null : `["e${i}"]`));
        const ours = insert.compile(db, rows);
        const kysely = db.insertInto('logs_event_batches').values(rows).compile();
        assert.equal(ours.sql, kysely.sql);
        assert.deepEqual(ours.parameters, kysely.parameters);
      }
    });

    test(`${name}: the streams' UPDATE takes every value as a parameter, so its SQL depends only on how many streams`, () => {
      const touched = (n: number, seed: number): StreamTouch[] => Array.from({ length: n }, (_, i) => ({ id: seed + i, firstTimestamp: seed * 3 + i, last: seed * 5 + i }));
      for (const n of [1, 2, 17]) {
        const a = touchStreamsQuery(db, touched(n, 100), 42).compile();
        const b = touchStreamsQuery(db, touched(n, 900), 77).compile();
        assert.equal(a.sql, b.sql);
        assert.deepEqual(a.parameters, touchStreamsParameters(touched(n, 100), 42));
        assert.deepEqual(b.parameters, touchStreamsParameters(touched(n, 900), 77));
      }
    });
  }
});

/** Both stores; PostgreSQL's case skips, saying so, where none runs. */
const pgSkip = (await postgresReachable()) ? false : NO_POSTGRES;
const stores: Array<[string, false | string, () => Promise<{ db: Store; close(): Promise<void> }>]> = [
  ['SQLite', false, async () => {
    const db = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
    return { db, close: () => db.destroy() };
  }],
  ['PostgreSQL', pgSkip, async () => {
    const database = await createTestDatabase();
    const db = await openStore({ kind: 'postgres', url: database.url });
    return { db, close: async () => { await db.destroy(); await database.drop(); } };
  }],
];

describe('log batches and usage records written through the compiled statements', () => {
  for (const [name, skip, open] of stores) {
    test(`${name}: each stream's first and last event times and the usage rows land as written`, { skip }, async () => {
      const { db, close } = await open();
      try {
        const logs = new FunctionLogs(db, createLogger('silent'));
        const scope = { accountId: '000000000000', region: 'us-east-1', group: '/aws/lambda/f' };
        await logs.put([{ ...scope, stream: 'a', timestamp: 1_000, message: 'one\n' }, { ...scope, stream: 'b', timestamp: 2_000, message: 'two\n' }]);
        await logs.put([{ ...scope, stream: 'a', timestamp: 3_000, message: 'three\n' }, { ...scope, stream: 'b', timestamp: 4_000, message: 'four\n' }]);
        const streams = await db.selectFrom('logs_streams').select(['name', 'first_event_timestamp', 'last_event_timestamp']).orderBy('name').execute();
        assert.deepEqual(streams.map((s) => [s.name, Number(s.first_event_timestamp), Number(s.last_event_timestamp)]), [['a', 1_000, 3_000], ['b', 2_000, 4_000]]);

        const usage = new UsageRecords(db, createLogger('silent'));
        const record = { request_id: 'r1', account_id: '000000000000', region: 'us-east-1', function_name: 'f', version: '$LATEST', memory_mb: 128, duration_ms: 1.5, billed_ms: 2, init_ms: null, max_memory_used_mb: 40, outcome: 'success', timestamp: 5_000, architecture: null, ephemeral_storage_mb: null, provisioned: null };
        usage.add(record);
        usage.add({ ...record, request_id: 'r2', init_ms: 120.25, provisioned: 1 });
        await usage.flush();
        const rows = await listUsageRecords(db, { accountId: '000000000000', region: 'us-east-1', functionName: 'f' });
        assert.deepEqual(rows.map((r) => [r.request_id, Number(r.duration_ms), r.init_ms === null ? null : Number(r.init_ms), r.provisioned === null ? null : Number(r.provisioned)]), [['r1', 1.5, null, null], ['r2', 1.5, 120.25, 1]]);
      } finally {
        await close();
      }
    });
  }
});
