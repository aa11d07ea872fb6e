import type { Clock } from '../../clock.js';
import type { Store } from '../database.js';

/** An event as `Invoke` (or an AWS service) hands it over. */
export interface NewAsyncEvent {
  accountId: string;
  region: string;
  functionName: string;
  /** As the sender named it (version, alias, `$LATEST`), or null; resolved at each attempt. */
  qualifier: string | null;
  requestId: string;
  traceId?: string;
  payload: Buffer;
}

/** Response of the last attempt that ran, kept for the failure record. */
export interface LastResponse {
  statusCode: number;
  executedVersion?: string;
  functionError?: string;
  /** The function's response or error document, as text. */
  payload?: string;
  errorMessage?: string;
}

export interface QueuedEvent extends NewAsyncEvent {
  id: number;
  enqueuedAt: number;
  /** Attempts that ran the function. */
  invokeCount: number;
  /** Attempts that ended in a function error (count against MaximumRetryAttempts). */
  errorCount: number;
  /** Consecutive throttles (drive the back-off; never count against retries). */
  throttleCount: number;
  lastResponse: LastResponse | null;
}

export interface AttemptChanges {
  invokeCount?: number;
  errorCount?: number;
  throttleCount?: number;
  lastResponse?: LastResponse | null;
}

/** Rows per INSERT (or ids per DELETE) statement: SQLite binds at most 32,766 parameters per statement. */
const INSERT_CHUNK_ROWS = 500;
/** Events committed together at most; later arrivals wait for the next transaction. */
const GROUP_COMMIT_MAX = 5000;

interface PendingEnqueue {
  event: NewAsyncEvent;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The durable per-function event queue (one table, keyed by function). Enqueue group-commits:
 * every enqueue that arrives while a transaction is being written joins the next one, and each
 * promise resolves only after its transaction has committed. Leasing pushes `next_attempt_at`
 * forward, so an event whose worker died becomes due again by itself; `recoverLeases` makes them
 * due at once after a restart.
 */
export class AsyncEventQueue {
  private nextId = 1;
  private pending: PendingEnqueue[] = [];
  private flushing: Promise<void> | null = null;
  private pendingAcks: { id: number; resolve: () => void; reject: (err: unknown) => void }[] = [];
  /** Called after each commit of new events, so workers can start without polling. */
  onCommitted: ((functions: ReadonlyArray<{ accountId: string; region: string; functionName: string }>) => void) | undefined;

  constructor(
    private readonly db: Store,
    private readonly clock: Clock,
  ) {}

  /** Reads the id counter and makes events leased by a previous process due again. */
  async open(): Promise<{ recovered: number; queued: number }> {
    const row = await this.db.selectFrom('async_events').select((eb) => [eb.fn.max('id').as('maxId'), eb.fn.countAll().as('n')]).executeTakeFirst();
    this.nextId = Number(row?.maxId ?? 0) + 1;
    const recovered = await this.recoverLeases();
    return { recovered, queued: Number(row?.n ?? 0) };
  }

  enqueue(event: NewAsyncEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves once everything enqueued so far is committed (or failed). */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    // Let the enqueues of this turn of the event loop join the first transaction.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, GROUP_COMMIT_MAX);
      const now = this.clock.now();
      const rows = batch.map(({ event }) => ({
        id: this.nextId++,
        account_id: event.accountId,
        region: event.region,
        function_name: event.functionName,
        qualifier: event.qualifier,
        request_id: event.requestId,
        trace_id: event.traceId ?? null,
        payload: event.payload,
        enqueued_at: now,
        next_attempt_at: now,
        leased: 0,
        invoke_count: 0,
        error_count: 0,
        throttle_count: 0,
        last_response: null,
      }));
      try {
        await this.db.transaction().execute(async (trx) => {
          for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
            await trx.insertInto('async_events').values(rows.slice(i, i + INSERT_CHUNK_ROWS)).execute();
          }
        });
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
      this.onCommitted?.(batch.map((p) => p.event));
    }
    this.flushing = null;
  }

  /**
   * Leases up to `limit` due events, oldest due first, skipping the functions in `skip`
   * (`account/region/name` keys). A lease lasts `leaseMs` unless acked or rescheduled first.
   */
  async lease(limit: number, leaseMs: number, skip: ReadonlySet<string> = new Set()): Promise<QueuedEvent[]> {
    if (limit <= 0) return [];
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('async_events')
        .selectAll()
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit);
      if (skip.size > 0) {
        const names = [...new Set([...skip].map((key) => key.split('/')[2] ?? ''))];
        query = query.where('function_name', 'not in', names);
      }
      const rows = await query.execute();
      if (rows.length === 0) return [];
      await trx
        .updateTable('async_events')
        .set({ leased: 1, next_attempt_at: now + leaseMs })
        .where('id', 'in', rows.map((r) => r.id))
        .execute();
      return rows.map(toQueuedEvent);
    });
  }

  /**
   * Done with the event: handled successfully or handed to failure handling. Resolves once the
   * row is deleted; acks of one turn of the event loop share one DELETE (a commit per event was
   * a fair share of running one).
   */
  ack(id: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingAcks.push({ id, resolve, reject });
      if (this.pendingAcks.length === 1) setImmediate(() => void this.deleteAcked());
    });
  }

  private async deleteAcked(): Promise<void> {
    const batch = this.pendingAcks;
    this.pendingAcks = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (let i = 0; i < batch.length; i += INSERT_CHUNK_ROWS) {
          await trx.deleteFrom('async_events').where('id', 'in', batch.slice(i, i + INSERT_CHUNK_ROWS).map((a) => a.id)).execute();
        }
      });
      for (const a of batch) a.resolve();
    } catch (err) {
      for (const a of batch) a.reject(err);
    }
  }

  /** Releases the lease and makes the event due again at `at`, recording what the attempt changed. */
  async retryAt(id: number, at: number, changes: AttemptChanges = {}): Promise<void> {
    const set: Record<string, unknown> = { leased: 0, next_attempt_at: at };
    if (changes.invokeCount !== undefined) set.invoke_count = changes.invokeCount;
    if (changes.errorCount !== undefined) set.error_count = changes.errorCount;
    if (changes.throttleCount !== undefined) set.throttle_count = changes.throttleCount;
    if (changes.lastResponse !== undefined) set.last_response = changes.lastResponse ? JSON.stringify(changes.lastResponse) : null;
    await this.db.updateTable('async_events').set(set).where('id', '=', id).execute();
  }

  /** After a crash: events leased by the dead process are due now. */
  async recoverLeases(): Promise<number> {
    const result = await this.db.updateTable('async_events').set({ leased: 0, next_attempt_at: this.clock.now() }).where('leased', '=', 1).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** When the earliest event not leased becomes due, or null when the queue holds none. */
  async nextDueAt(): Promise<number | null> {
    const row = await this.db.selectFrom('async_events').select((eb) => eb.fn.min('next_attempt_at').as('at')).where('leased', '=', 0).executeTakeFirst();
    return row?.at == null ? null : Number(row.at);
  }

  async depth(): Promise<number> {
    const row = await this.db.selectFrom('async_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}

function toQueuedEvent(row: {
  id: number; account_id: string; region: string; function_name: string; qualifier: string | null; request_id: string; trace_id: string | null;
  payload: Buffer; enqueued_at: number; invoke_count: number; error_count: number; throttle_count: number; last_response: string | null;
}): QueuedEvent {
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    functionName: row.function_name,
    qualifier: row.qualifier,
    requestId: row.request_id,
    traceId: row.trace_id ?? undefined,
    payload: Buffer.from(row.payload),
    enqueuedAt: Number(row.enqueued_at),
    invokeCount: row.invoke_count,
    errorCount: row.error_count,
    throttleCount: row.throttle_count,
    lastResponse: row.last_response ? (JSON.parse(row.last_response) as LastResponse) : null,
  };
}
