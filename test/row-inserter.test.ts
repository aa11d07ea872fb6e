import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
} from 'kysely';
import type { Store } from '../src/store/database.js';
import { RowInserter } from '../src/store/row-inserter.js';
import { touchStreamsParameters, touchStreamsQuery, type StreamTouch } from '../src/observability/function-logs.js';

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
