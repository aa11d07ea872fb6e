import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Clock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { isPostgres, openStore } from '../src/store/database.js';
import { PostgresColumnTypes } from '../src/store/postgres/column-types.js';
import { QueueDrain } from '../src/store/queue/drain.js';
import { DurableQueue } from '../src/store/queue/durable-queue.js';
import type { QueueTable } from '../src/store/queue/queue.js';
import { createTestDatabase, NO_POSTGRES, postgresReachable, type TestDatabase } from './support/postgres.js';

/** A clock only the test moves; its timers fire when it passes them. */
class ManualClock implements Clock {
  private t = Date.UTC(2026, 0, 1);
  private timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.t + ms, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }
  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => !x.cancelled && x.at <= this.t);
    this.timers = this.timers.filter((x) => !due.includes(x));
    for (const timer of due) timer.fn();
  }
}

/** The suite's own queue table: the columns every queue table has, a FIFO group, a payload and a counter. */
interface ItemRow {
  id: number;
  group_key: string | null;
  body: string;
  payload: Buffer | null;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
}
const TABLE = 'queue_conformance_items';
const BY_VISIBLE_TIME: QueueTable<ItemRow> = { name: TABLE, order: ['next_attempt_at', 'id'] };
const BY_GROUP: QueueTable<ItemRow> = { name: TABLE, order: ['id'], group: 'group_key' };

async function createTable(store: Kysely<any>): Promise<void> {
  // The suite's table is written as the migrations are, in SQLite's types (mapped on PostgreSQL).
  const db = isPostgres(store) ? store.withPlugin(new PostgresColumnTypes()) : store;
  await db.schema
    .createTable(TABLE)
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('group_key', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('payload', 'blob')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .execute();
  await db.schema.createIndex(`${TABLE}_due`).ifNotExists().on(TABLE).columns(['next_attempt_at', 'id']).execute();
  await db.schema.createIndex(`${TABLE}_group`).ifNotExists().on(TABLE).columns(['group_key', 'id']).execute();
}

/**
 * The durable queue's contract, written against its interface (DurableQueue over a Kysely store)
 * so every store runs the same cases: `openStore(dataDir)` opens, or reopens after a "crash", the
 * store kept in `dataDir` (on PostgreSQL: a database of the run, emptied for each new `dataDir`).
 */
export function describeQueue(storeName: string, openStoreAt: (dataDir: string) => Promise<Kysely<any>>, options: { skip?: string | false } = {}): void {
  describe(`durable queue conformance (${storeName})`, { skip: options.skip ?? false }, () => {
    const dirs: string[] = [];
    const open: Array<Kysely<any>> = [];
    after(async () => {
      for (const db of open) await db.destroy().catch(() => undefined);
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    async function fresh(): Promise<{ dataDir: string; db: Kysely<any>; clock: ManualClock }> {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-durable-queue-'));
      dirs.push(dataDir);
      const db = await openStoreAt(dataDir);
      open.push(db);
      await createTable(db);
      return { dataDir, db, clock: new ManualClock() };
    }

    let nextId = 1;
    const items = (...bodies: string[]) => bodies.map((body) => ({ id: nextId++, group_key: null, body, payload: null, attempts: 0 }));
    const grouped = (...entries: Array<[string | null, string]>) =>
      entries.map(([group, body]) => ({ id: nextId++, group_key: group, body, payload: null, attempts: 0 }));
    const bodies = (rows: ItemRow[]) => rows.map((r) => r.body);

    test('enqueue commits or rolls back with the write that caused it', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await queue.enqueue(trx, items('lost'));
          throw new Error('the causing write failed');
        }),
        /causing write failed/,
      );
      assert.equal(await queue.depth(), 0);
      await db.transaction().execute((trx) => queue.enqueue(trx, items('kept')));
      assert.deepEqual(bodies(await queue.lease(10, 30_000)), ['kept']);
    });

    test('at least once: a leased item is hidden, and stays until its owner acks it', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      await queue.enqueue(db, items('a', 'b', 'c'));
      const leased = await queue.lease(10, 30_000);
      assert.deepEqual(bodies(leased), ['a', 'b', 'c']);
      assert.ok(leased.every((r) => r.lease_owner === queue.owner));
      assert.equal((await queue.lease(10, 30_000)).length, 0, 'a leased item is not leased twice');
      assert.equal(await queue.ack([leased[0]!.id, leased[1]!.id]), 2);
      assert.equal(await queue.depth(), 1);
    });

    test('an expired lease is leased again by another owner; the first owner can no longer ack or retry it', async () => {
      const { db, clock } = await fresh();
      const first = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      const second = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      assert.notEqual(first.owner, second.owner);
      await first.enqueue(db, items('x'));
      const [item] = await first.lease(1, 30_000);
      clock.advance(29_999);
      assert.equal((await second.lease(1, 30_000)).length, 0, 'the lease still holds');
      clock.advance(1);
      const [again] = await second.lease(1, 30_000);
      assert.equal(again?.id, item!.id);
      assert.equal(again?.lease_owner, second.owner);
      assert.equal(await first.ack([item!.id]), 0, 'ack by a former owner');
      assert.equal(await first.retryAt(item!.id, clock.now(), { attempts: 9 }), false, 'retry-at by a former owner');
      assert.equal(await first.dead(item!.id, 'stale'), false, 'dead by a former owner');
      assert.equal(await second.ack([item!.id]), 1);
      assert.equal(await second.depth(), 0);
    });

    test('ordering: due items by visible time, then enqueue order', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      const t = clock.now();
      await queue.enqueue(db, items('late'), t + 2_000);
      await queue.enqueue(db, items('middle'), t + 1_000);
      await queue.enqueue(db, items('first', 'second'), t);
      assert.deepEqual(bodies(await queue.lease(10, 30_000)), ['first', 'second']);
      clock.advance(2_000);
      assert.deepEqual(bodies(await queue.lease(1, 30_000)), ['middle']);
      assert.deepEqual(bodies(await queue.lease(1, 30_000)), ['late']);
    });

    test('ordering per group: one item of a group at a time, in order; its later items wait behind a retried head', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_GROUP, clock);
      await queue.enqueue(db, grouped(['g1', 'a1'], ['g1', 'a2'], ['g2', 'b1'], [null, 'free'], ['g1', 'a3']));
      const leased = await queue.lease(10, 30_000);
      assert.deepEqual(bodies(leased), ['a1', 'b1', 'free']);
      assert.deepEqual(bodies(await queue.lease(10, 30_000)), [], 'a2 waits while a1 is leased');
      const head = leased[0]!;
      assert.equal(await queue.retryAt(head.id, clock.now() + 1_000, { attempts: 1 }), true);
      assert.deepEqual(bodies(await queue.lease(10, 30_000)), [], 'a2 waits while a1 waits for its retry');
      assert.equal(await queue.nextVisibleAt(), clock.now() + 1_000, 'the group is next visible when its head is');
      clock.advance(1_000);
      const [retried] = await queue.lease(10, 30_000);
      assert.deepEqual([retried?.body, retried?.attempts], ['a1', 1]);
      await queue.ack([retried!.id]);
      assert.deepEqual(bodies(await queue.lease(10, 30_000)), ['a2']);
    });

    test('concurrent leasers never take the same item, and between them take every one', async () => {
      const { db, clock } = await fresh();
      const owners = [1, 2, 3, 4].map(() => new DurableQueue(db, BY_VISIBLE_TIME, clock));
      const all = items(...Array.from({ length: 200 }, (_, i) => `item ${i}`));
      await owners[0]!.enqueue(db, all);
      const taken = await Promise.all(
        owners.map(async (queue) => {
          const mine: ItemRow[] = [];
          for (;;) {
            const batch = await queue.lease(7, 30_000);
            if (batch.length === 0 && (await queue.lease(7, 30_000)).length === 0) return mine;
            mine.push(...batch);
          }
        }),
      );
      const ids = taken.flat().map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, 'no item leased twice');
      assert.deepEqual([...ids].sort((a, b) => a - b), all.map((r) => r.id));
    });

    test('skipped keys: their items stay, the others are leased in order', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      await queue.enqueue(db, grouped(['paused', 'p1'], ['open', 'o1'], ['paused', 'p2'], ['other', 'x1'], ['open', 'o2']));
      const skip = { column: 'group_key', values: ['paused'] };
      assert.deepEqual(bodies(await queue.lease(3, 30_000, skip)), ['o1', 'x1', 'o2']);
      assert.deepEqual(bodies(await queue.lease(3, 30_000, skip)), []);
      assert.deepEqual(bodies(await queue.lease(3, 30_000)), ['p1', 'p2']);
    });

    test('retry-at: invisible until then, visible after, with what the attempt recorded', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      await queue.enqueue(db, items('flaky'));
      const [item] = await queue.lease(1, 30_000);
      const at = clock.now() + 60_000;
      assert.equal(await queue.retryAt(item!.id, at, { attempts: 1 }), true);
      assert.equal(await queue.nextVisibleAt(), at);
      clock.advance(59_999);
      assert.equal((await queue.lease(1, 30_000)).length, 0);
      clock.advance(1);
      const [retried] = await queue.lease(1, 30_000);
      assert.deepEqual([retried?.body, retried?.attempts], ['flaky', 1]);
    });

    test('dead: the item is moved aside for inspection and never leased again', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      await queue.enqueue(db, [{ id: nextId++, group_key: null, body: 'poison', payload: Buffer.from([0, 1, 2, 255]), attempts: 3 }]);
      const [item] = await queue.lease(1, 30_000);
      const other = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      assert.equal(await other.dead(item!.id, 'not its owner'), false);
      assert.equal(await queue.dead(item!.id, 'cannot be parsed'), true);
      assert.equal(await queue.depth(), 0);
      clock.advance(60_000);
      assert.equal((await queue.lease(10, 30_000)).length, 0);
      const [dead] = await queue.deadLetters();
      assert.equal(dead?.reason, 'cannot be parsed');
      assert.equal(dead?.deadAt, clock.now() - 60_000);
      assert.deepEqual([dead?.item.body, dead?.item.attempts, Buffer.from(dead!.item.payload!)], ['poison', 3, Buffer.from([0, 1, 2, 255])]);
    });

    test('crash between lease and ack: after reopening the store the item comes back when the lease runs out', async () => {
      const { dataDir, db, clock } = await fresh();
      const crashed = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      await crashed.enqueue(db, items('in flight'));
      assert.equal((await crashed.lease(1, 30_000)).length, 1);
      await db.destroy();

      const reopened = await openStoreAt(dataDir);
      open.push(reopened);
      const restarted = new DurableQueue(reopened, BY_VISIBLE_TIME, clock);
      assert.equal(await restarted.depth(), 1);
      assert.equal((await restarted.lease(1, 30_000)).length, 0, 'still leased by the crashed owner');
      clock.advance(30_000);
      const [back] = await restarted.lease(1, 30_000);
      assert.equal(back?.body, 'in flight');
      assert.equal(await restarted.ack([back!.id]), 1);
    });

    test('release-leases: after a restart, the leases of earlier owners end at once (SQLite, one process); on PostgreSQL they stay, as their owner may be a live node', async () => {
      const { db, clock } = await fresh();
      const crashed = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      const restarted = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      await crashed.enqueue(db, items('theirs', 'mine'));
      await crashed.lease(1, 30_000);
      await restarted.lease(1, 30_000);
      if (isPostgres(db)) {
        // A dead node's leases are ended by the survivors when its heartbeat expires (test/cluster.test.ts).
        assert.equal(await restarted.releaseLeases(), 0);
        assert.deepEqual(bodies(await restarted.lease(10, 30_000)), []);
        return;
      }
      assert.equal(await restarted.releaseLeases(), 1);
      assert.deepEqual(bodies(await restarted.lease(10, 30_000)), ['theirs']);
    });

    test('next-visible-at: live leases do not count, expired ones do; null when empty', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      assert.equal(await queue.nextVisibleAt(), null);
      await queue.enqueue(db, items('leased'));
      await queue.enqueue(db, items('later'), clock.now() + 90_000);
      await queue.lease(1, 30_000);
      assert.equal(await queue.nextVisibleAt(), clock.now() + 90_000);
      clock.advance(30_000);
      assert.equal(await queue.nextVisibleAt(), clock.now(), 'the expired lease is visible now');
    });

    test('the drain: wakes on enqueue, holds at most its limit in flight, and runs a retry when the clock reaches it, without polling', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      let leases = 0;
      let running = 0;
      let mostRunning = 0;
      const handled: string[] = [];
      const drain = new QueueDrain<ItemRow>({
        name: 'conformance',
        clock,
        logger: createLogger('silent'),
        maxInFlight: 2,
        lease: (limit) => {
          leases++;
          return queue.lease(limit, 30_000);
        },
        idOf: (item) => item.id,
        nextVisibleAt: () => queue.nextVisibleAt(),
        handle: async (item) => {
          running++;
          mostRunning = Math.max(mostRunning, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running--;
          if (item.body === 'retry me' && item.attempts === 0) {
            await queue.retryAt(item.id, clock.now() + 60_000, { attempts: 1 });
            return;
          }
          handled.push(item.body);
          await queue.ack([item.id]);
        },
      });
      drain.start();
      await drain.idle();
      await queue.enqueue(db, items('one', 'two', 'three', 'retry me'));
      drain.wake();
      await drain.idle();
      assert.deepEqual(handled, ['one', 'two', 'three']);
      assert.equal(mostRunning, 2);
      const idleLeases = leases;
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(leases, idleLeases, 'no lease while nothing is due');
      assert.equal(clock.pendingTimers, 1, 'one timer, for the retry');
      clock.advance(60_000);
      await new Promise((resolve) => setImmediate(resolve));
      await drain.idle();
      assert.deepEqual(handled, ['one', 'two', 'three', 'retry me']);
      assert.equal(await queue.depth(), 0);
      assert.equal(await drain.stop(1_000), 0);
    });

    test('the drain leases ahead: one lease serves the next items, in order; a refused one and those not started at stop are handed back', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      let leases = 0;
      let refusing = false;
      const started: string[] = [];
      let open!: () => void;
      let gate = new Promise<void>((resolve) => (open = resolve));
      const drain = new QueueDrain<ItemRow>({
        name: 'conformance',
        clock,
        logger: createLogger('silent'),
        maxInFlight: 1,
        prefetch: {
          count: 3,
          release: (item) => queue.retryAt(item.id, clock.now()).then(() => undefined),
          // As the async worker: what it refuses to start (a paused function's items), it does not lease.
          startable: (item) => item.body !== 'refused' || !refusing,
        },
        lease: (limit) => {
          leases++;
          return queue.lease(limit, 30_000, refusing ? { column: 'body', values: ['refused'] } : undefined);
        },
        idOf: (item) => item.id,
        // …nor wake for it (the worker wakes when the pause ends).
        nextVisibleAt: async () => {
          const at = await queue.nextVisibleAt();
          return refusing && at !== null && at <= clock.now() ? null : at;
        },
        handle: async (item) => {
          started.push(item.body);
          await gate;
          await queue.ack([item.id]);
        },
      });
      await queue.enqueue(db, items('one', 'refused', 'two', 'three'));
      drain.start();
      while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(leases, 1);
      refusing = true;
      const other = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      assert.deepEqual(await other.lease(10, 30_000), [], 'all four are leased: one running, three waiting for its slot');
      open();
      await drain.idle();
      assert.deepEqual(started, ['one', 'two', 'three'], 'one slot, in order, the refused one passed over');
      assert.equal(leases, 2, 'the three ran on the first lease; the second found only the refused item, handed back');
      const refused = await other.lease(10, 30_000);
      assert.deepEqual(bodies(refused), ['refused'], 'handed back unattempted, visible to another owner');
      assert.equal(refused[0]!.attempts, 0);
      await other.ack(refused.map((r) => r.id));

      gate = new Promise<void>((resolve) => (open = resolve));
      started.length = 0;
      await queue.enqueue(db, items('a', 'b', 'c'));
      drain.wake();
      while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(await drain.stop(50), 1, "'a' still runs when the grace ends");
      assert.deepEqual(bodies(await other.lease(10, 30_000)), ['b', 'c'], 'stopping handed back what it had leased ahead');
      open();
    });

    test('the drain starts an item once: when the clock passes the lease of an item still under way, the lease is renewed', async () => {
      const { db, clock } = await fresh();
      const queue = new DurableQueue(db, BY_VISIBLE_TIME, clock);
      const started: string[] = [];
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const drain = new QueueDrain<ItemRow>({
        name: 'conformance',
        clock,
        logger: createLogger('silent'),
        maxInFlight: 4,
        lease: (limit) => queue.lease(limit, 30_000),
        idOf: (item) => item.id,
        nextVisibleAt: () => queue.nextVisibleAt(),
        handle: async (item) => {
          started.push(item.body);
          await finished;
          await queue.ack([item.id]);
        },
      });
      await queue.enqueue(db, items('slow'));
      drain.start();
      while (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      clock.advance(45_000);
      drain.wake();
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.deepEqual(started, ['slow'], 'not started a second time alongside the first');
      assert.equal(await queue.nextVisibleAt(), null, 'its lease was renewed: nothing to wake for');
      finish();
      await drain.idle();
      assert.equal(await queue.depth(), 0, 'acked by the one attempt');
      await drain.stop(1_000);
    });
  });
}

describeQueue('SQLite store', (dataDir) => openStore({ kind: 'sqlite', dataDir }));

// PostgreSQL: one database for the run; a new `dataDir` (a test's fresh store) starts from an empty
// queue table, and reopening the same `dataDir` (after a "crash") finds what was left in it.
let database: TestDatabase | undefined;
const seen = new Set<string>();
describeQueue(
  'PostgreSQL store',
  async (dataDir) => {
    database ??= await createTestDatabase();
    const db = await openStore({ kind: 'postgres', url: database.url });
    if (!seen.has(dataDir)) {
      seen.add(dataDir);
      await db.schema.dropTable(TABLE).ifExists().execute();
      await db.deleteFrom('queue_dead_letters').execute();
    }
    return db;
  },
  { skip: (await postgresReachable()) ? false : NO_POSTGRES },
);
after(async () => {
  await database?.drop();
});
