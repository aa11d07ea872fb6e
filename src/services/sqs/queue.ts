import type { QueueScope } from './model.js';
import type { QueueIndex } from './queue-state.js';

/** One queue in memory: its settings, its message index and who is long-polling it. */
export interface Queue {
  arn: string;
  scope: QueueScope;
  name: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  index: QueueIndex;
  dedup: Map<string, { messageId: string; sequenceNumber: string; expiresAt: number }>;
  /** Expired dedup entries are swept when the map grows past this (doubling), not on every send. */
  dedupSweepAbove: number;
  waiters: Array<() => void>;
  lastPurgeAt: number;
  deleted: boolean;
  /** Wakes long polls when the earliest hidden message becomes visible again. */
  wake?: { at: number; cancel(): void };
}
