import type { Selectable } from 'kysely';
import type { Clock } from '../../clock.js';
import { IdBlocks } from '../cluster/id-blocks.js';
import { isPostgres, type Store } from '../database.js';
import type { AsyncEventsTable, Database } from '../schema.js';
import { DurableQueue } from './durable-queue.js';
import type { QueueTable, RetryFields } from './queue.js';

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

/** Events committed together at most; later arrivals wait for the next transaction. */
const GROUP_COMMIT_MAX = 5000;
/**
 * With only acks to write, a transaction waits this long for more to join it: while the drain
 * runs alone each attempt ended in a commit of its own (8,660 commits for 11,400 events), and
 * nothing waits on an ack's commit but the shutdown (the attempt's slot is already free).
 */
const ACK_WINDOW_MS = 2;
/** Acks that close the window early. */
const ACK_WINDOW_MAX = 64;

type AsyncEventRow = Selectable<AsyncEventsTable>;

/** Asynchronous invocation's queue table: one logical queue per function, due events oldest first. */
export const ASYNC_EVENTS: QueueTable<AsyncEventRow> = { name: 'async_events' satisfies keyof Database, order: ['next_attempt_at', 'id'] };

interface PendingEnqueue {
  event: NewAsyncEvent;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface PendingAck {
  id: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The durable per-function event queue, a thin consumer of the durable queue (store/queue): its
 * own columns, ids assigned in enqueue order, and group commit. Enqueues and acks group-commit:
 * every one that arrives while a transaction is being written joins the next one, and each
 * promise resolves only after its transaction has committed — under load a drain acks while
 * clients enqueue, and a commit of its own per ack cost as much as the group commit it now joins.
 * A lease hides an event until acked or rescheduled (or until the lease runs out); `open`
 * releases the leases of a previous process.
 */
export class AsyncEventQueue {
  private nextId = 1;
  /** PostgreSQL: ids from a shared counter, as other nodes insert too. */
  private idBlocks: IdBlocks | undefined;
  private pending: PendingEnqueue[] = [];
  private pendingAcks: PendingAck[] = [];
  private flushing: Promise<void> | null = null;
  /** Set while a transaction of acks alone waits for more (ackWindow). */
  private closeAckWindow: (() => void) | undefined;
  private readonly queue: DurableQueue<AsyncEventRow>;
  /** Called after each commit of new events, so workers can start without polling. */
  onCommitted: ((functions: ReadonlyArray<{ accountId: string; region: string; functionName: string }>) => void) | undefined;

  constructor(
    private readonly db: Store,
    private readonly clock: Clock,
  ) {
    this.queue = new DurableQueue(db, ASYNC_EVENTS, clock);
  }

  /** Reads the id counter and makes events leased by a previous process due again. */
  async open(): Promise<{ recovered: number; queued: number }> {
    const row = await this.db.selectFrom('async_events').select((eb) => [eb.fn.max('id').as('maxId'), eb.fn.countAll().as('n')]).executeTakeFirst();
    this.nextId = Number(row?.maxId ?? 0) + 1;
    if (isPostgres(this.db)) this.idBlocks = new IdBlocks(this.db, 'async_events', this.nextId);
    const recovered = await this.recoverLeases();
    return { recovered, queued: Number(row?.n ?? 0) };
  }

  enqueue(event: NewAsyncEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      this.closeAckWindow?.();
      this.flushing ??= this.flush();
    });
  }

  /** Resolves once everything enqueued or acked so far is committed (or failed). */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    // Let the enqueues and acks of this turn of the event loop join the first transaction.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.pending.length === 0) await this.ackWindow();
    while (this.pending.length > 0 || this.pendingAcks.length > 0) {
      let batch = this.pending.splice(0, GROUP_COMMIT_MAX);
      const acks = this.pendingAcks.splice(0, GROUP_COMMIT_MAX);
      const now = this.clock.now();
      let ids: number[] = [];
      try {
        if (batch.length > 0) ids = this.idBlocks ? await this.idBlocks.take(batch.length) : batch.map(() => this.nextId++);
      } catch (err) {
        for (const p of batch) p.reject(err);
        batch = [];
      }
      const rows = batch.map(({ event }, i) => ({
        id: ids[i]!,
        account_id: event.accountId,
        region: event.region,
        function_name: event.functionName,
        qualifier: event.qualifier,
        request_id: event.requestId,
        trace_id: event.traceId ?? null,
        payload: event.payload,
        enqueued_at: now,
        invoke_count: 0,
        error_count: 0,
        throttle_count: 0,
        last_response: null,
      }));
      try {
        await this.db.transaction().execute(async (trx) => {
          await this.queue.enqueue(trx, rows, now);
          if (acks.length > 0) await this.queue.ack(acks.map((a) => a.id), trx);
        });
        for (const p of batch) p.resolve();
        for (const a of acks) a.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
        for (const a of acks) a.reject(err);
      }
      if (batch.length > 0) this.onCommitted?.(batch.map((p) => p.event));
    }
    this.flushing = null;
  }

  /** Waits up to ACK_WINDOW_MS for more acks to share the transaction; an enqueue (a caller waits on it) or a full window ends it. */
  private async ackWindow(): Promise<void> {
    if (this.pendingAcks.length >= ACK_WINDOW_MAX) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.closeAckWindow?.(), ACK_WINDOW_MS);
      this.closeAckWindow = () => {
        clearTimeout(timer);
        this.closeAckWindow = undefined;
        resolve();
      };
    });
  }

  /**
   * Leases up to `limit` due events, oldest due first, skipping the functions in `skip`
   * (`account/region/name` keys). A lease lasts `leaseMs` unless acked or rescheduled first.
   */
  async lease(limit: number, leaseMs: number, skip: ReadonlySet<string> = new Set()): Promise<QueuedEvent[]> {
    const names = skip.size > 0 ? [...new Set([...skip].map((key) => key.split('/')[2] ?? ''))] : [];
    const rows = await this.queue.lease(limit, leaseMs, { column: 'function_name', values: names });
    return rows.map(toQueuedEvent);
  }

  /**
   * Done with the event: handled successfully or handed to failure handling. Resolves once the
   * row's DELETE has committed, with the acks and enqueues that arrived meanwhile (acks alone
   * wait up to ACK_WINDOW_MS for company).
   */
  ack(id: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pendingAcks.push({ id, resolve, reject });
      if (this.pendingAcks.length >= ACK_WINDOW_MAX) this.closeAckWindow?.();
      this.flushing ??= this.flush();
    });
  }

  /** Releases the lease and makes the event due again at `at`, recording what the attempt changed. */
  async retryAt(id: number, at: number, changes: AttemptChanges = {}): Promise<void> {
    const fields: RetryFields<AsyncEventRow> = {};
    if (changes.invokeCount !== undefined) fields.invoke_count = changes.invokeCount;
    if (changes.errorCount !== undefined) fields.error_count = changes.errorCount;
    if (changes.throttleCount !== undefined) fields.throttle_count = changes.throttleCount;
    if (changes.lastResponse !== undefined) fields.last_response = changes.lastResponse ? JSON.stringify(changes.lastResponse) : null;
    await this.queue.retryAt(id, at, fields);
  }

  /** Hands a leased event back unattempted: due now, nothing it recorded changed. */
  release(id: number): Promise<void> {
    return this.retryAt(id, this.clock.now());
  }

  /** After a crash: events leased by the dead process are due now. */
  recoverLeases(): Promise<number> {
    return this.queue.releaseLeases();
  }

  /** When the earliest event not under a live lease becomes due, or null when there is none. */
  nextDueAt(): Promise<number | null> {
    return this.queue.nextVisibleAt();
  }

  depth(): Promise<number> {
    return this.queue.depth();
  }
}

function toQueuedEvent(row: AsyncEventRow): QueuedEvent {
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
