import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AsyncWorker } from '../src/async/worker.js';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import type { AsyncEventQueue, QueuedEvent } from '../src/store/queue/async-event-queue.js';

describe('asynchronous invocation worker', () => {
  test('an event that comes due between the lease query and the next-due read is leased, not forgotten', async () => {
    // A timer can fire a millisecond before the clock reads its due time: the lease query then finds
    // nothing, and the next-due read, a moment later, finds the event already due.
    const event = { id: 1, functionName: 'f', accountId: '000000000000', region: 'us-east-1' } as QueuedEvent;
    let leases = 0;
    const queue = {
      onCommitted: undefined,
      async lease() {
        leases++;
        return leases === 1 ? [] : leases === 2 ? [event] : [];
      },
      async nextDueAt() {
        return leases === 1 ? Date.now() - 1 : null;
      },
    } as unknown as AsyncEventQueue;
    let attempted!: () => void;
    const ran = new Promise<void>((resolve) => (attempted = resolve));
    const worker = new AsyncWorker({
      queue, clock: systemClock, logger: createLogger('silent'),
      attempt: async () => {
        attempted();
        return 'success';
      },
    });
    worker.start();
    let timer!: NodeJS.Timeout;
    const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('stuck: nothing will lease it again'), 1000)));
    const outcome = await Promise.race([ran.then(() => 'ran'), timeout]);
    clearTimeout(timer);
    assert.equal(outcome, 'ran');
    await worker.stop(1000);
  });

  test('a commit of events for a throttled (paused) function does not lease: only others wake the worker', async () => {
    const held = { id: 1, functionName: 'held', accountId: '000000000000', region: 'us-east-1', throttleCount: 0 } as QueuedEvent;
    let leases = 0;
    const queue = {
      onCommitted: undefined as undefined | ((fns: Array<{ accountId: string; region: string; functionName: string }>) => void),
      async lease() {
        leases++;
        return leases === 1 ? [held] : [];
      },
      async nextDueAt() {
        return null;
      },
    };
    const worker = new AsyncWorker({
      queue: queue as unknown as AsyncEventQueue, clock: systemClock, logger: createLogger('silent'),
      attempt: async () => 'throttled',
    });
    worker.start();
    const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
    // The throttled attempt's completion wakes the worker once (that lease skips the paused function);
    // on a loaded machine it can come later than one settle.
    for (let waited = 0; leases < 2 && waited < 5_000; waited += 20) await settle();
    await settle();
    const afterThrottle = leases;
    assert.equal(afterThrottle, 2, 'the lease that held the throttled event, then the one its completion woke');
    queue.onCommitted!([{ accountId: '000000000000', region: 'us-east-1', functionName: 'held' }]);
    await settle();
    assert.equal(leases, afterThrottle, 'the paused function\'s new events wait for its back-off');
    queue.onCommitted!([{ accountId: '000000000000', region: 'us-east-1', functionName: 'other' }]);
    await settle();
    assert.equal(leases, afterThrottle + 1);
    await worker.stop(1000);
  });
});
