import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { ShiftableClock } from '../src/clock.js';
import { openStore } from '../src/store/database.js';
import { migrationProvider } from '../src/store/migrations/index.js';
import { AsyncEventQueue } from '../src/store/queue/async-event-queue.js';

describe('upgrading to the durable queue (migration 0011)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-queue-upgrade-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('every row queued before the upgrade is still queued after it; an event leased then is recovered at start', async () => {
    // The store as the release before the durable queue left it: every migration before 0011.
    const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(path.join(dataDir, 'lambkin.db')) }) });
    const all = await migrationProvider.getMigrations();
    const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0011'));
    const migrated = await new Migrator({ db: old, provider: { getMigrations: async (): Promise<Record<string, Migration>> => before } }).migrateToLatest();
    assert.equal(migrated.error, undefined);
    const now = Date.now();
    const event = { account_id: '000000000000', region: 'us-east-1', function_name: 'f', qualifier: null, trace_id: null, payload: Buffer.from('{}'), enqueued_at: now, invoke_count: 0, error_count: 0, throttle_count: 0, last_response: null };
    await old.insertInto('async_events').values([
      { ...event, id: 1, request_id: 'leased-when-stopped', next_attempt_at: now + 960_000, leased: 1 },
      { ...event, id: 2, request_id: 'waiting', next_attempt_at: now, leased: 0 },
    ]).execute();
    await old.insertInto('sns_deliveries').values({ id: 1, subscription_arn: 's', topic_arn: 't', protocol: 'sqs', endpoint: 'q', group_key: null, message: '{}', attempts: 2, next_attempt_at: now, created_at: now }).execute();
    await old.insertInto('events_deliveries').values({ id: 'e1', account_id: 'a', region: 'r', rule_arn: 'rule', target: '{}', payload: '{}', envelope: null, attempts: 1, created_at: now, next_attempt_at: now, last_error: 'x' }).execute();
    await old.insertInto('s3_notification_outbox').values({ account_id: 'a', region: 'r', bucket: 'b', destination: '{}', message: '{}', attempts: 0, next_attempt_at: now, created_at: now, last_error: null }).execute();
    await old.destroy();

    const store = await openStore({ kind: 'sqlite', dataDir });
    try {
      assert.deepEqual((await store.selectFrom('sns_deliveries').select(['id', 'attempts', 'lease_owner']).execute()), [{ id: 1, attempts: 2, lease_owner: null }]);
      assert.deepEqual((await store.selectFrom('events_deliveries').select(['id', 'attempts', 'lease_owner']).execute()), [{ id: 'e1', attempts: 1, lease_owner: null }]);
      assert.equal((await store.selectFrom('s3_notification_outbox').selectAll().execute()).length, 1);
      const queue = new AsyncEventQueue(store, new ShiftableClock());
      assert.deepEqual(await queue.open(), { recovered: 1, queued: 2 });
      assert.deepEqual((await queue.lease(10, 60_000)).map((e) => e.requestId).sort(), ['leased-when-stopped', 'waiting']);
    } finally {
      await store.destroy();
    }
  });

  test('FIFO deliveries queued before migration 0068 keep their group: its key takes the form new deliveries are given', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambkin-group-key-upgrade-'));
    try {
      const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(path.join(dir, 'lambkin.db')) }) });
      const all = await migrationProvider.getMigrations();
      const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0068'));
      assert.equal((await new Migrator({ db: old, provider: { getMigrations: async (): Promise<Record<string, Migration>> => before } }).migrateToLatest()).error, undefined);
      const now = Date.now();
      const row = { subscription_arn: 'arn:aws:sns:us-east-1:000000000000:t.fifo:1', topic_arn: 't', protocol: 'sqs', endpoint: 'q', message: '{}', attempts: 0, next_attempt_at: now, created_at: now };
      await old.insertInto('sns_deliveries').values([
        { ...row, id: 1, group_key: 'arn:aws:sns:us-east-1:000000000000:t.fifo:1\0g-1' },
        { ...row, id: 2, group_key: null },
      ]).execute();
      await old.destroy();
      const store = await openStore({ kind: 'sqlite', dataDir: dir });
      try {
        const keys = await store.selectFrom('sns_deliveries').select(['id', 'group_key']).orderBy('id').execute();
        assert.deepEqual(keys, [{ id: 1, group_key: 'arn:aws:sns:us-east-1:000000000000:t.fifo:1 g-1' }, { id: 2, group_key: null }]);
      } finally {
        await store.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
