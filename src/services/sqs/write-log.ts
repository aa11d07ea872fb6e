import type { Transaction } from 'kysely';
import type { Store } from '../../store/database.js';
import type { Database } from '../../store/schema.js';

type Write = (trx: Transaction<Database>) => Promise<unknown>;

/**
 * Serializes every SQS store write in submission order and commits whatever is pending in one
 * transaction: a send, a receive and a delete of the same message always land in that order, and
 * thousands of small writes a second cost a few commits. Callers await their write before
 * answering, so an acknowledged send is on disk (at-least-once across restarts).
 */
export class WriteLog {
  private pending: Array<{ write: Write; resolve: () => void; reject: (err: unknown) => void }> = [];
  private flushing = false;

  constructor(private readonly db: Store) {}

  submit(write: Write): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const item of batch) await item.write(trx);
        });
        for (const item of batch) item.resolve();
      } catch (err) {
        // One bad write must not sink the others: retry them one by one.
        for (const item of batch) {
          try {
            await this.db.transaction().execute(async (trx) => item.write(trx));
            item.resolve();
          } catch (single) {
            item.reject(single);
          }
        }
        void err;
      }
    }
    this.flushing = false;
  }

  /** Resolves once everything submitted so far is committed. */
  async idle(): Promise<void> {
    await this.submit(async () => undefined);
  }
}
