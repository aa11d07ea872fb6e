import { Kysely, type KyselyConfig, type Transaction, type TransactionBuilder } from 'kysely';

/** SQLSTATEs after which a transaction can run again: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 12;

/**
 * A Kysely whose transactions keep what the code was written against. On SQLite, one connection
 * runs every statement in turn, so a transaction's reads and writes never interleave with anything
 * else; read-modify-write code (a function's last version number, a conditional DynamoDB write,
 * a stream's next sequence number) relies on that. On PostgreSQL:
 * - a process runs its transactions one at a time (as on SQLite), so they never conflict with
 *   each other and a busy process does not turn its own concurrency into retries;
 * - each runs SERIALIZABLE, so a transaction that a concurrent statement (another pool
 *   connection, another node) would make inconsistent fails with 40001 instead of committing a
 *   lost update, and is run again from the start (a few times, with a short random pause).
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
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
