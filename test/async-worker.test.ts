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
});
