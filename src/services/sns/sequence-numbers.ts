import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../../store/database.js';
import type { Database } from '../../store/schema.js';

/** The `id_counters` row of a FIFO topic's sequence numbers on a shared store. */
const COUNTER_PREFIX = 'sns-fifo:';

let lastInProcess = 0n;

/**
 * A FIFO topic's next sequence number: 20 digits, increasing across restarts (they start from the
 * clock, in millionths of a millisecond). On SQLite one process publishes: a counter in memory.
 * On PostgreSQL several nodes publish to one topic, each with its own clock and counter, so the
 * number comes from the topic's row in `id_counters`, raised in the publish's own transaction
 * (`trx`): two nodes publishing at once are run one after the other (SERIALIZABLE, the second
 * retried), and numbers rise in the order publishes commit, whichever node took them.
 */
export async function nextSequenceNumber(trx: Kysely<Database>, topicArn: string, now: number): Promise<string> {
  const fromClock = BigInt(now) * 1_000_000n;
  if (!isPostgres(trx)) {
    lastInProcess = fromClock > lastInProcess ? fromClock : lastInProcess + 1n;
    return lastInProcess.toString().padStart(20, '0');
  }
  const { rows } = await sql<{ next: number | string }>`insert into id_counters (name, next) values (${COUNTER_PREFIX + topicArn}, ${fromClock.toString()}::bigint)
    on conflict (name) do update set next = greatest(id_counters.next + 1, excluded.next) returning next`.execute(trx);
  return BigInt(String(rows[0]!.next)).toString().padStart(20, '0');
}

/** Drops a deleted topic's counter (none on SQLite); `topicArn` undefined: every topic's. */
export async function forgetSequenceNumbers(trx: Kysely<Database>, topicArn?: string): Promise<void> {
  if (!isPostgres(trx)) return;
  const counters = trx.deleteFrom('id_counters');
  await (topicArn === undefined ? counters.where('name', 'like', `${COUNTER_PREFIX}%`) : counters.where('name', '=', COUNTER_PREFIX + topicArn)).execute();
}
