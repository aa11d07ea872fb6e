import { sql } from 'kysely';
import { isPostgres } from '../database.js';
import { LEASE_PREFIX, type QueueDb } from './queue.js';

/** The NOTIFY channel of "work was queued in table X" (payload: `<lease prefix> <table>`). */
export const QUEUE_CHANNEL = 'lambkin_queue';

/** Each table's running drains in this process, to wake when another node queues work. */
const drains = new Map<string, Set<() => void>>();

/** Registers a drain's wake for `table`; returns its removal. */
export function onQueuedWork(table: string, wake: () => void): () => void {
  let set = drains.get(table);
  if (!set) drains.set(table, (set = new Set()));
  set.add(wake);
  return () => set.delete(wake);
}

/** Wakes this process's drains of `table`, or of every table. */
export function wakeDrains(table?: string): void {
  for (const [name, set] of drains) if (table === undefined || name === table) for (const wake of set) wake();
}

/**
 * Tells the other nodes' drains of `table` that work is queued: in the caller's transaction, since
 * PostgreSQL delivers a NOTIFY when (and only if) its transaction commits. Nothing on SQLite.
 */
export async function notifyQueuedWork(db: QueueDb, table: string): Promise<void> {
  if (isPostgres(db)) await sql`select pg_notify(${QUEUE_CHANNEL}, ${`${LEASE_PREFIX} ${table}`})`.execute(db);
}

/** A queue notification from another process: the table, or null when it came from this one. */
export function queuedWorkOf(payload: string): string | null {
  const space = payload.lastIndexOf(' ');
  if (space < 0 || payload.slice(0, space) === LEASE_PREFIX) return null;
  return payload.slice(space + 1);
}
