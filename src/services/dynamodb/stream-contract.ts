import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { Item, KeySchema } from './attribute-value.js';

/**
 * Between DynamoDB's tables (which own StreamSpecification and every item write) and DynamoDB
 * Streams (which owns the stream records, the streams API and the in-process reader): the write
 * path appends one change per item write inside the write's own transaction, so a committed write
 * always has its record (at-least-once across kill -9), and the streams side asks the tables side
 * which streams exist.
 */

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

/** One item change, before the view type trims it. */
export interface ItemChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: Item;
  oldImage?: Item;
  newImage?: Item;
  /** A TTL expiry: the record carries `userIdentity` {type: Service, principalId: dynamodb.amazonaws.com}. */
  byTimeToLive?: boolean;
}

/** A table's stream as the tables side knows it (current or, once disabled, kept 24 h). */
export interface TableStream {
  streamArn: string;
  /** `LatestStreamLabel`: the ISO time in the ARN. */
  label: string;
  tableName: string;
  keySchema: KeySchema;
  viewType: StreamViewType;
  /** ENABLING | ENABLED | DISABLING | DISABLED */
  status: 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';
  createdMs: number;
  /** Set when the stream was disabled (or its table deleted): no records are added after it. */
  disabledMs?: number;
}

/** Implemented by DynamoDB Streams; called by the item write path. */
export interface StreamChangeWriter {
  /** Appends `changes` (in order) to the stream inside the caller's transaction. */
  append(tx: Transaction<Database>, stream: TableStream, changes: ItemChange[]): Promise<void>;
  /** Wakes in-process readers after the transaction committed. */
  committed(streamArn: string): void;
}

/** Implemented by DynamoDB's tables; read by DynamoDB Streams. */
export interface TableStreamCatalog {
  /** Every stream still readable (enabled, or disabled less than 24 h ago), optionally of one table. */
  list(tableName?: string): Promise<TableStream[]>;
  find(streamArn: string): Promise<TableStream | undefined>;
}
