import { Kysely, type KyselyConfig, type Transaction, type TransactionBuilder } from 'kysely';

/** SQLSTATEs after which a transaction can run again: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(['40001', '40P01']);
/**
 * Tries before the failure is the caller's. Between tries a random pause of up to 2, 4, 8 … ms,
 * at most 200 ms: nodes that keep colliding on one row spread out instead of colliding again, so
 * one does not lose every round to the others (a fixed few milliseconds did, under load).
 */
const MAX_ATTEMPTS = 20;
const MAX_PAUSE_MS = 200;

/**
 * A Kysely whose transactions keep what the code was written against. On SQLite, one connection
 * runs every statement in turn, so a transaction's reads and writes never interleave with anything
 * else; read-modify-write code (a function's last version number, a conditional DynamoDB write,
 * a stream's next sequence number) relies on that. On PostgreSQL:
 * - a process runs its transactions one at a time (as on SQLite), so they never conflict with
 *   each other and a busy process does not turn its own concurrency into retries;
 * - each runs SERIALIZABLE, so a transaction that a concurrent statement (another pool
 *   connection, another node) would make inconsistent fails with 40001 instead of committing a
 *   lost update, and is run again from the start (with growing random pauses, MAX_ATTEMPTS).
 * Callbacks must therefore only touch the database (they do: effects outside it happen after
 * `execute` resolves). Single statements outside a transaction stay READ COMMITTED: each is
 * atomic, and the durable queue's lease locks its rows (FOR UPDATE SKIP LOCKED).
 */
export class SerialTransactionsKysely<DB> extends Kysely<DB> {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(config: KyselyConfig) {
    super(config);
  }

  override transaction(): TransactionBuilder<DB> {
    const begin = (): TransactionBuilder<DB> => super.transaction().setIsolationLevel('serializable');
    const builder = {
      execute: <T>(callback: (trx: Transaction<DB>) => Promise<T>): Promise<T> => this.inTurn(() => runWithRetries(begin, callback)),
    };
    return builder as unknown as TransactionBuilder<DB>;
  }

  private inTurn<T>(run: () => Promise<T>): Promise<T> {
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

async function runWithRetries<DB, T>(begin: () => TransactionBuilder<DB>, callback: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await begin().execute(callback);
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_PAUSE_MS, 2 ** attempt)));
    }
  }
}
