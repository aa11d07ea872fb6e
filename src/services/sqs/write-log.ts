import type { Transaction } from 'kysely';
import type { Store } from '../../store/database.js';
import type { Database } from '../../store/schema.js';
import { errors } from './errors.js';
import type { QueueScope } from './model.js';
import { scopeKey } from './scope-keys.js';

type Write = (trx: Transaction<Database>) => Promise<unknown>;

/**
 * On a shared store: whether this node still serves the queues a write is for, asked inside the
 * write's transaction. The transactions are SERIALIZABLE, and a node taking the queues over
 * changes their lease row and loads their messages in one transaction too, so either the write
 * commits first and the new owner loads it, or it sees the row taken (or fails to commit, and is
 * run again) and is refused: a node that lost its queues (paused past its heartbeat expiry,
 * handing them over) cannot store anything the new owner will not see.
 */
export interface WriteFence {
  /** Of these scope keys, those this node holds, read in `trx`. */
  held(trx: Transaction<Database>, keys: string[]): Promise<Set<string>>;
  /** Writes for these scopes were refused: this node serves them no longer. */
  lost(keys: string[]): void;
}

interface Pending {
  key: string | undefined;
  write: Write;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Serializes every SQS store write in submission order and commits whatever is pending in one
 * transaction: a send, a receive and a delete of the same message always land in that order, and
 * thousands of small writes a second cost a few commits. Callers await their write before
 * answering, so an acknowledged send is on disk (at-least-once across restarts). With a fence,
 * the writes of queues this node no longer serves are refused with ServiceUnavailable (503,
 * which SDKs retry, then on the queues' new node).
 */
export class WriteLog {
  private pending: Pending[] = [];
  private flushing = false;
  private fence: WriteFence | undefined;

  constructor(private readonly db: Store) {}

  /** Checks every write from now on against `fence` (a cluster node). */
  fenceWith(fence: WriteFence): void {
    this.fence = fence;
  }

  /** Queues `write`, for the queues of `scope` (none: nothing to fence, e.g. `idle`). */
  submit(scope: QueueScope | undefined, write: Write): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ key: scope && scopeKey(scope), write, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const refused = await this.commit(batch);
        this.settle(batch, refused);
      } catch (err) {
        // One bad write must not sink the others: retry them one by one.
        for (const item of batch) {
          try {
            this.settle([item], await this.commit([item]));
          } catch (single) {
            item.reject(single);
          }
        }
        void err;
      }
    }
    this.flushing = false;
  }

  /** Runs the writes of `batch` in one transaction; returns the scopes whose writes were refused. */
  private async commit(batch: Pending[]): Promise<Set<string>> {
    return this.db.transaction().execute(async (trx) => {
      const refused = new Set<string>();
      const fence = this.fence;
      if (fence) {
        const keys = [...new Set(batch.flatMap((item) => (item.key === undefined ? [] : [item.key])))];
        const held = keys.length > 0 ? await fence.held(trx, keys) : new Set<string>();
        for (const key of keys) if (!held.has(key)) refused.add(key);
      }
      for (const item of batch) if (item.key === undefined || !refused.has(item.key)) await item.write(trx);
      return refused;
    });
  }

  private settle(batch: Pending[], refused: Set<string>): void {
    for (const item of batch) {
      if (item.key !== undefined && refused.has(item.key)) item.reject(errors.unavailable());
      else item.resolve();
    }
    if (refused.size > 0) this.fence?.lost([...refused]);
  }

  /** Resolves once everything submitted so far is committed. */
  async idle(): Promise<void> {
    await this.submit(undefined, async () => undefined);
  }
}
