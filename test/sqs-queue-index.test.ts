import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { QueueMessage } from '../src/services/sqs/model.js';
import { QueueIndex } from '../src/services/sqs/queue-state.js';

const message = (seq: number, visibleAt: number): QueueMessage => ({
  seq, messageId: `m${seq}`, body: 'x', md5OfBody: '', sentAt: 0, senderId: 'test', visibleAt,
  receiveCount: 0, firstReceiveAt: null, receiptToken: null, generation: 0, deleted: false,
});

describe('SQS queue index counts', () => {
  test('a standard queue counts visible, in flight and delayed messages through visibility changes, deletes and redeliveries', () => {
    const index = new QueueIndex(false);
    let now = 1_000;
    const m = Array.from({ length: 6 }, (_, i) => message(i, i < 4 ? now : now + 60_000));
    for (const x of m) index.add(x, now);
    assert.deepEqual(index.counts(now), { visible: 4, notVisible: 0, delayed: 2 });

    const received = index.takeVisible(3, now);
    for (const x of received) {
      x.receiveCount++;
      index.setVisibleAt(x, now + 30_000, now);
    }
    assert.deepEqual(index.counts(now), { visible: 1, notVisible: 3, delayed: 2 });
    // Back to visible at once (ChangeMessageVisibility 0): its heap entry is stale now.
    index.setVisibleAt(received[0]!, now, now);
    // Hidden for longer: two heap entries, one live.
    index.setVisibleAt(received[1]!, now + 90_000, now);
    index.remove(received[2]!);
    assert.deepEqual(index.counts(now), { visible: 2, notVisible: 1, delayed: 2 });

    now += 60_000; // the delayed ones are due, received[1] still hidden
    assert.deepEqual(index.counts(now), { visible: 4, notVisible: 1, delayed: 0 });
    now += 30_000; // and now it is visible again
    assert.deepEqual(index.counts(now), { visible: 5, notVisible: 0, delayed: 0 });
    assert.equal(index.takeVisible(10, now).length, 5);
  });

  test('a FIFO queue counts the same way', () => {
    const index = new QueueIndex(true);
    const now = 1_000;
    const m = [message(1, now), message(2, now), message(3, now)];
    m.forEach((x, i) => { x.groupId = i < 2 ? 'g1' : 'g2'; index.add(x, now); });
    const [first] = index.takeVisible(1, now);
    first!.receiveCount++;
    index.setVisibleAt(first!, now + 30_000, now);
    assert.deepEqual(index.counts(now), { visible: 2, notVisible: 1, delayed: 0 });
  });
});
