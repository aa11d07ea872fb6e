import type { Selectable } from 'kysely';
import type { QueueTable } from '../../../store/queue/queue.js';
import type { Database, SchedulerDeliveriesTable } from '../../../store/schema.js';

export type SchedulerDeliveryRow = Selectable<SchedulerDeliveriesTable>;
export type SchedulerDeliveryInsert = Omit<SchedulerDeliveryRow, 'next_attempt_at' | 'lease_owner'>;

/** Scheduler's queue table (store/queue): one row per firing, the oldest due first. */
export const SCHEDULER_DELIVERIES: QueueTable<SchedulerDeliveryRow, SchedulerDeliveryInsert> = { name: 'scheduler_deliveries' satisfies keyof Database, order: ['next_attempt_at'] };
