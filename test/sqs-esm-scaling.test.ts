import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SQS_SCALE_HOLD_TICKS } from '../src/triggers/esm/limits.js';
import { SqsScaling } from '../src/triggers/esm/sqs-scaling.js';

/** One scaling tick with messages remaining and every worker finishing batches of half a second. */
const busy = (workers: number, messages: number, cap = 1000) => ({ cap, workers, messagesRemain: true, messages, startingWorkers: 0, meanBatchMs: 500 });
/** The same with batches of 3 s: most workers finish none within a tick. */
const slow = (workers: number, messages: number, cap = 1000) => ({ cap, workers, messagesRemain: true, messages, startingWorkers: 0, meanBatchMs: 3000 });

describe('sqs mapping scaling (5 to start, up to 5 more a second while it pays off)', () => {
  test('starts at 5 batches, or at the cap when that is lower', () => {
    assert.equal(new SqsScaling().start(1000), 5);
    assert.equal(new SqsScaling().start(3), 3);
  });

  test('short batches grow by 5 a second while each step brings its share of messages', () => {
    const s = new SqsScaling();
    let target = s.start(1000);
    // 100 messages a second per worker: throughput follows the concurrency.
    for (let i = 0; i < 10; i++) target = s.next(busy(target, target * 100));
    assert.equal(target, 55);
  });

  test('a step without gain gets one more tick (environments starting), then is taken back and growth pauses', () => {
    const s = new SqsScaling();
    let target = s.start(1000);
    target = s.next(busy(5, 1000)); // grow to 10
    assert.equal(target, 10);
    target = s.next(busy(10, 1100)); // +10 %: not half of the +100 % expected; wait a tick
    assert.equal(target, 10);
    target = s.next(busy(10, 1050)); // still nothing: back to 5
    assert.equal(target, 5);
    for (let i = 0; i < SQS_SCALE_HOLD_TICKS; i++) assert.equal(s.next(busy(5, 1000)), 5, `held on tick ${i}`);
    assert.equal(s.next(busy(5, 1000)), 10, 'probes again after the pause');
  });

  test('a step that pays off on its second tick is kept and growth goes on', () => {
    const s = new SqsScaling();
    s.start(1000);
    assert.equal(s.next(busy(5, 1000)), 10);
    assert.equal(s.next(busy(10, 1200)), 10); // cold starts: not yet
    assert.equal(s.next(busy(10, 1900)), 15); // +90 %: kept, and the next step is taken
  });

  test('short or past the cap', () => {
    const s = new SqsScaling();
    s.start(1000);
    assert.equal(s.next({ cap: 1000, workers: 5, messagesRemain: true, messages: 30, startingWorkers: 2, meanBatchMs: 200 }), 5);
    assert.equal(s.next({ cap: 1000, workers: 5, messagesRemain: true, messages: 0, startingWorkers: 5, meanBatchMs: null }), 5, 'nothing finished yet');
    const capped = new SqsScaling();
    let target = capped.start(12);
    for (let i = 0; i < 5; i++) target = capped.next(busy(target, target * 100, 12));
    assert.equal(target, 12);
  });

  test('running dry shrinks towards 5 by 5 a second, and a lower cap applies at once', () => {
    const s = new SqsScaling();
    let target = s.start(1000);
    for (let i = 0; i < 4; i++) target = s.next(busy(target, target * 100));
    assert.equal(target, 25);
    assert.equal(s.next({ cap: 1000, workers: 25, messagesRemain: false, messages: 40, startingWorkers: 0, meanBatchMs: 500 }), 20);
    assert.equal(s.next(busy(20, 2000, 8)), 8);
    for (let i = 0; i < 5; i++) target = s.next({ cap: 1000, workers: 8, messagesRemain: false, messages: 0, startingWorkers: 0, meanBatchMs: 500 });
    assert.equal(target, 5);
  });

  test('slow batches (a second or more) grow by 5 a second like AWS, with no pay-off check, up to the cap', () => {
    const s = new SqsScaling();
    let target = s.start(1000);
    // Throughput lags each step by a batch's duration: flat figures must not stop the growth.
    for (let i = 0; i < 10; i++) target = s.next(slow(target, 10));
    assert.equal(target, 55);
    const capped = new SqsScaling();
    let t = capped.start(20);
    for (let i = 0; i < 10; i++) t = capped.next(slow(t, 10, 20));
    assert.equal(t, 20);
    assert.equal(s.next({ ...slow(55, 10), messagesRemain: false }), 50, 'and shrink once the queue runs dry');
  });
});
