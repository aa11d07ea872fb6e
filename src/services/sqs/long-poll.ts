import type { Clock } from '../../clock.js';
import type { Queue } from './queue.js';

/**
 * Long polling: receives waiting on a queue, woken by a send, a delete that frees a FIFO group, or
 * a timer at the moment the earliest hidden message becomes visible again.
 */
export class LongPolls {
  /** Set on shutdown: waits end at once and no new wake timers start. */
  closed = false;

  constructor(private readonly clock: Clock) {}

  waitForMessages(queue: Queue, deadline: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const now = this.clock.now();
      const next = queue.index.nextVisibleAt();
      const until = Math.min(deadline, next !== undefined && next > now ? next : deadline);
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        timer.cancel();
        signal?.removeEventListener('abort', finish);
        const i = queue.waiters.indexOf(finish);
        if (i >= 0) queue.waiters.splice(i, 1);
        resolve();
      };
      const timer = this.clock.setTimeout(finish, Math.max(1, until - now));
      signal?.addEventListener('abort', finish);
      queue.waiters.push(finish);
    });
  }

  /** Wakes every long poll of the queue at `at` (a hidden message's return), keeping the earliest such time. */
  scheduleWake(queue: Queue, at: number): void {
    if (queue.waiters.length === 0 && queue.wake === undefined && this.closed) return;
    if (queue.wake && queue.wake.at <= at) return;
    queue.wake?.cancel();
    const timer = this.clock.setTimeout(() => {
      queue.wake = undefined;
      if (queue.deleted || this.closed) return;
      this.wakeAll(queue);
      const next = queue.index.nextVisibleAt();
      if (next !== undefined && next > this.clock.now()) this.scheduleWake(queue, next);
    }, Math.max(1, at - this.clock.now()));
    queue.wake = { at, cancel: () => timer.cancel() };
  }

  wakeOne(queue: Queue): void {
    queue.waiters.shift()?.();
  }

  wakeAll(queue: Queue): void {
    for (const w of queue.waiters.splice(0)) w();
  }
}
