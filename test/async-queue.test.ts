import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EVENT_STATES, transition, type EventState, type EventTransition } from '../src/async/event-states.js';
import { functionErrorRetryDelayMs, throttleBackoffMs } from '../src/async/retry-schedule.js';
import { ShiftableClock } from '../src/clock.js';
import { TransitionNotAllowed } from '../src/lifecycle.js';
import { openStore, type Store } from '../src/store/database.js';
import { AsyncEventQueue, type NewAsyncEvent } from '../src/store/queue/async-event-queue.js';

const event = (i: number, functionName = 'f'): NewAsyncEvent => ({
  accountId: '000000000000', region: 'us-east-1', functionName, qualifier: null, requestId: `req-${i}`, payload: Buffer.from(JSON.stringify({ i })),
});

describe('durable async event queue (SQLite store)', () => {
  let dir: string;
  let db: Store;
  const clock = new ShiftableClock();
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lambkin-queue-'));
    db = await openStore({ kind: 'sqlite', dataDir: dir });
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('concurrent enqueues are committed together, in order, and each resolves after commit', async () => {
    const queue = new AsyncEventQueue(db, clock);
    await queue.open();
    let commits = 0;
    queue.onCommitted = () => commits++;
    await Promise.all(Array.from({ length: 1200 }, (_, i) => queue.enqueue(event(i))));
    assert.equal(await queue.depth(), 1200);
    assert.ok(commits <= 2, `${commits} transactions for one burst`);
    const leased = await queue.lease(5, 60_000);
    assert.deepEqual(leased.map((e) => e.requestId), ['req-0', 'req-1', 'req-2', 'req-3', 'req-4']);
    assert.deepEqual(JSON.parse(leased[0]!.payload.toString()), { i: 0 });
    await db.deleteFrom('async_events').execute();
  });

  test('acks alone wait a moment for company: acks a few turns of the event loop apart share one commit, an enqueue joins them at once', async () => {
    // The store, counting transactions (methods bound to the store: Kysely keeps private fields).
    let transactions = 0;
    const counted = new Proxy(db, {
      get(target, key) {
        if (key === 'transaction') return () => { transactions++; return target.transaction(); };
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const queue = new AsyncEventQueue(counted, clock);
    await queue.open();
    await Promise.all(Array.from({ length: 6 }, (_, i) => queue.enqueue(event(i))));
    const leased = await queue.lease(6, 60_000);
    transactions = 0;
    const acked: Promise<void>[] = [];
    for (const e of leased.slice(0, 4)) {
      acked.push(queue.ack(e.id));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(acked);
    assert.equal(transactions, 1, 'four acks, one commit');
    const left = await db.selectFrom('async_events').select('id').execute();
    assert.deepEqual(left.map((r) => r.id), leased.slice(4).map((e) => e.id), 'the four acks committed');
    transactions = 0;
    await Promise.all([queue.ack(leased[4]!.id), queue.enqueue(event(9))]);
    assert.equal(transactions, 1, 'the ack and the enqueue in one transaction');
    await queue.ack(leased[5]!.id);
    await db.deleteFrom('async_events').execute();
  });

  test('lease hides an event until acked, rescheduled, expired or recovered', async () => {
    const queue = new AsyncEventQueue(db, clock);
    await queue.open();
    await Promise.all([queue.enqueue(event(1)), queue.enqueue(event(2)), queue.enqueue(event(3, 'g'))]);
    const [first, second, third] = await queue.lease(3, 60_000);
    assert.equal((await queue.lease(10, 60_000)).length, 0, 'leased events are not leased twice');

    await queue.ack(first!.id);
    const due = clock.now() + 60_000;
    await queue.retryAt(second!.id, due, { invokeCount: 1, errorCount: 1, lastResponse: { statusCode: 200, functionError: 'Unhandled' } });
    assert.equal(await queue.nextDueAt(), due);
    clock.advance(59_000);
    assert.equal((await queue.lease(10, 60_000)).length, 0);
    clock.advance(1_000);
    const retried = await queue.lease(10, 60_000, new Set(['000000000000/us-east-1/g']));
    assert.deepEqual(retried.map((e) => [e.requestId, e.invokeCount, e.errorCount, e.lastResponse?.functionError]), [['req-2', 1, 1, 'Unhandled']]);

    // A worker that died: the lease runs out by itself…
    clock.advance(60_000);
    assert.deepEqual((await queue.lease(10, 60_000)).map((e) => e.requestId).sort(), ['req-2', 'req-3']);
    // …and a restart makes every leased event due at once.
    const restarted = new AsyncEventQueue(db, clock);
    const { recovered, queued } = await restarted.open();
    assert.equal(recovered, 2);
    assert.equal(queued, 2);
    assert.equal((await restarted.lease(10, 60_000)).length, 2);
    await restarted.enqueue(event(4));
    const ids = (await db.selectFrom('async_events').select('id').execute()).map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'ids continue after a restart');
    await db.deleteFrom('async_events').execute();
  });

  test('a lease skipping paused functions takes the oldest due events of the others, in due order, up to the limit', async () => {
    const queue = new AsyncEventQueue(db, clock);
    await queue.open();
    // A paused function's backlog queued first (oldest), then events of three others interleaved.
    await Promise.all(Array.from({ length: 50 }, (_, i) => queue.enqueue(event(100 + i, 'paused'))));
    for (let i = 0; i < 6; i++) await Promise.all([queue.enqueue(event(i, 'b')), queue.enqueue(event(10 + i, 'a')), queue.enqueue(event(20 + i, 'z'))]);
    const [laterA] = await queue.lease(1, 60_000, new Set(['000000000000/us-east-1/paused', '000000000000/us-east-1/b', '000000000000/us-east-1/z']));
    assert.equal(laterA?.requestId, 'req-10');
    // req-10 comes back due in 30 s: it now sorts after every other due event.
    await queue.retryAt(laterA!.id, clock.now() + 30_000);
    const skip = new Set(['000000000000/us-east-1/paused']);
    const first = await queue.lease(7, 60_000, skip);
    assert.deepEqual(first.map((e) => e.requestId), ['req-0', 'req-20', 'req-1', 'req-11', 'req-21', 'req-2', 'req-12']);
    const rest = await queue.lease(100, 60_000, skip);
    assert.deepEqual(rest.map((e) => e.requestId), ['req-22', 'req-3', 'req-13', 'req-23', 'req-4', 'req-14', 'req-24', 'req-5', 'req-15', 'req-25']);
    clock.advance(30_000);
    assert.deepEqual((await queue.lease(100, 60_000, skip)).map((e) => e.requestId), ['req-10'], 'a rescheduled event is leased once due');
    assert.equal((await queue.lease(100, 60_000)).length, 50, 'without the pause its backlog is leased');
    await db.deleteFrom('async_events').execute();
  });
});

describe('async retry schedule', () => {
  test('function errors: ~1 min before the first retry, ~2 min before the second', () => {
    assert.equal(functionErrorRetryDelayMs(1), 60_000);
    assert.equal(functionErrorRetryDelayMs(2), 120_000);
  });
  test('throttles: 1 s doubling, capped at 5 min', () => {
    assert.deepEqual([1, 2, 3, 4, 9, 10, 50].map(throttleBackoffMs), [1000, 2000, 4000, 8000, 256_000, 300_000, 300_000]);
  });
});

describe('async event state machine', () => {
  const transitions: EventTransition[] = [
    'lease', 'success', 'functionError', 'throttled', 'serviceError', 'retriesExhausted', 'ageExceeded', 'zeroReservedConcurrency', 'functionDeleted',
  ];
  const allowed: Record<EventState, Partial<Record<EventTransition, EventState>>> = {
    queued: { lease: 'running' },
    running: {
      success: 'succeeded', functionError: 'queued', throttled: 'queued', serviceError: 'queued',
      retriesExhausted: 'failed', ageExceeded: 'failed', zeroReservedConcurrency: 'failed', functionDeleted: 'dropped',
    },
    succeeded: {},
    failed: {},
    dropped: {},
  };
  for (const state of EVENT_STATES) {
    for (const step of transitions) {
      const expected = allowed[state][step];
      test(`${state} + ${step} → ${expected ?? 'not allowed'}`, () => {
        if (expected) assert.equal(transition(state, step), expected);
        else assert.throws(() => transition(state, step), TransitionNotAllowed);
      });
    }
  }
});
