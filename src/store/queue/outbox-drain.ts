import type { Logger } from '../../logger.js';
import { QueueDrain } from './drain.js';
import type { DurableQueue } from './durable-queue.js';
import type { QueueRow } from './queue.js';

/**
 * The drain of an outbox a service owns alone (alarm actions, log subscription documents, S3
 * notifications): at start the leases a crashed run left are released so their rows are due at
 * once, each pass leases for `leaseMs` in id order, and another node's enqueue wakes it.
 */
export function outboxDrain<Row extends QueueRow, Insert>(
  queue: DurableQueue<Row, Insert>,
  options: { name: string; logger: Logger; maxInFlight: number; leaseMs: number; handle: (row: Row) => Promise<void> },
): QueueDrain<Row> {
  return new QueueDrain<Row>({
    name: options.name,
    table: queue.table.name,
    clock: queue.clock,
    logger: options.logger,
    maxInFlight: options.maxInFlight,
    onStart: () => queue.releaseLeases(),
    lease: (limit) => queue.lease(limit, options.leaseMs),
    idOf: (row) => row.id,
    nextVisibleAt: () => queue.nextVisibleAt(),
    handle: options.handle,
  });
}
