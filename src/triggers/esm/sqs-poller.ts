import { setMaxListeners } from 'node:events';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { compileFilters, filterViewOfSqsRecord, matchesAny, type Pattern } from './filter.js';
import type { MappingFunctionInvoker } from './function-invoker.js';
import * as limits from './limits.js';
import { failedItemIds, sqsRecord } from './sqs-event.js';
import { SqsScaling } from './sqs-scaling.js';
import type { SqsSource, SqsSourceMessage } from './sqs-source.js';
import { pause } from './stream-mapping-context.js';

/** The parts of an SQS mapping the poller acts on. */
export interface SqsMappingConfig {
  uuid: string;
  functionArn: string;
  queueArn: string;
  batchSize: number;
  windowSeconds: number;
  filterCriteria?: unknown;
  reportBatchItemFailures: boolean;
  maximumConcurrency: number | null;
}

/** A received message with its event record, serialized once for both the 6 MB cut and the payload. */
interface BatchRecord {
  record: Record<string, unknown>;
  json: string;
  messageId: string;
  receiptHandle: string;
}

/**
 * One enabled SQS mapping: concurrent workers each receive a batch, invoke the function
 * synchronously and delete what succeeded; failures reappear after the visibility timeout.
 * Starts at 5 concurrent batches and adds up to 5 a second (300 a minute) while full batches keep
 * coming (short batches: while each step also pays off; see SqsScaling), up to
 * ScalingConfig.MaximumConcurrency and the function's reserved concurrency.
 */
export class SqsPoller {
  private config: SqsMappingConfig;
  private filters: Pattern[] | null;
  private target = 0;
  private workers = 0;
  private running = false;
  /** When a receive last came back full (clock ms): messages remain. */
  private lastFullBatchAt = Number.NEGATIVE_INFINITY;
  /** Workers that have not finished a batch yet. */
  private startingWorkers = 0;
  /** Moving mean of receive-to-done time per batch, ms. */
  private meanBatchMs: number | null = null;
  private messagesSinceTick = 0;
  private readonly scaling = new SqsScaling();
  private readonly abort = new AbortController();
  private tick: { cancel(): void } | undefined;
  private readonly done = new Set<Promise<void>>();
  private visibility: number | undefined;

  constructor(
    config: SqsMappingConfig,
    private readonly source: SqsSource,
    private readonly invoker: MappingFunctionInvoker,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.config = config;
    this.filters = compileFilters(config.filterCriteria);
    // Every worker's long poll listens on this signal: up to 1,000 at once, not a leak.
    setMaxListeners(limits.SQS_MAX_CONCURRENT_BATCHES + 10, this.abort.signal);
  }

  update(config: SqsMappingConfig): void {
    this.config = config;
    this.filters = compileFilters(config.filterCriteria);
  }

  get concurrency(): number {
    return this.workers;
  }

  start(): void {
    this.running = true;
    void this.scale(true);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.tick?.cancel();
    this.abort.abort();
    await Promise.all([...this.done]);
    this.source.close();
  }

  private async cap(): Promise<number> {
    const reserved = await this.invoker.reservedConcurrency(this.config.functionArn).catch(() => null);
    let cap = this.config.maximumConcurrency ?? limits.SQS_MAX_CONCURRENT_BATCHES;
    if (reserved !== null) cap = Math.min(cap, reserved);
    return cap;
  }

  private async scale(first = false): Promise<void> {
    if (!this.running) return;
    try {
      const cap = await this.cap();
      this.target = first
        ? this.scaling.start(cap)
        : this.scaling.next({
            cap,
            workers: this.workers,
            messagesRemain: this.messagesRemain(),
            messages: this.messagesSinceTick,
            startingWorkers: this.startingWorkers,
            meanBatchMs: this.meanBatchMs,
          });
      this.messagesSinceTick = 0;
      this.visibility = await this.visibilitySeconds();
      while (this.running && this.workers < this.target) this.spawn();
    } catch (err) {
      this.logger.warn({ err, uuid: this.config.uuid }, 'sqs poller scaling failed');
    }
    if (this.running) this.tick = this.clock.setTimeout(() => void this.scale(), limits.SCALE_TICK_MS);
  }

  /**
   * A full batch within the last tick — or two mean batch durations, as slow batches are received
   * seldom even with a long backlog.
   */
  private messagesRemain(): boolean {
    const window = Math.max(limits.SCALE_TICK_MS, 2 * (this.meanBatchMs ?? 0));
    return this.clock.now() - this.lastFullBatchAt <= window;
  }

  private spawn(): void {
    this.workers++;
    this.startingWorkers++;
    const started = { finishedOne: false };
    const p: Promise<void> = this.work(started).finally(() => {
      this.workers--;
      if (!started.finishedOne) this.startingWorkers--;
      this.done.delete(p);
    });
    this.done.add(p);
  }

  private async work(started: { finishedOne: boolean }): Promise<void> {
    while (this.running && this.workers <= this.target) {
      try {
        const batch = await this.collect();
        if (!this.running) {
          await this.release(batch.map((r) => r.receiptHandle));
          return;
        }
        if (batch.length === 0) continue;
        const receivedAt = this.clock.now();
        if (batch.length >= Math.min(this.config.batchSize, 10)) this.lastFullBatchAt = receivedAt;
        await this.process(batch);
        const took = this.clock.now() - receivedAt;
        this.meanBatchMs = this.meanBatchMs === null ? took : 0.8 * this.meanBatchMs + 0.2 * took;
        if (!started.finishedOne) {
          started.finishedOne = true;
          this.startingWorkers--;
        }
        this.messagesSinceTick += batch.length;
      } catch (err) {
        if (!this.running) return;
        this.logger.warn({ err, uuid: this.config.uuid }, 'sqs poller error');
        await pause(this.clock, limits.ERROR_BACKOFF_MS, this.abort.signal);
      }
    }
  }

  private async visibilitySeconds(): Promise<number> {
    const queueVisibility = await this.source.visibilityTimeoutSeconds();
    const timeout = await this.invoker.timeoutSeconds(this.config.functionArn);
    const needed = this.config.windowSeconds + timeout;
    return needed > queueVisibility ? needed + limits.SQS_VISIBILITY_MARGIN_SECONDS : queueVisibility;
  }

  /** One batch: up to BatchSize messages, waiting up to the batching window, within 6 MB. */
  private async collect(): Promise<BatchRecord[]> {
    const { batchSize, windowSeconds } = this.config;
    const visibility = this.visibility ?? (this.visibility = await this.visibilitySeconds());
    const batch = await this.source.receive(Math.min(batchSize, this.source.maxPerReceive), limits.SQS_LONG_POLL_SECONDS, visibility, this.abort.signal);
    if (batch.length === 0 || windowSeconds === 0) return this.fitPayload(batch);
    const deadline = this.clock.now() + windowSeconds * 1000;
    while (this.running && batch.length < batchSize) {
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) break;
      const more = await this.source.receive(Math.min(batchSize - batch.length, this.source.maxPerReceive), remaining / 1000, visibility, this.abort.signal);
      batch.push(...more);
      if (this.batchBytes(batch) >= limits.INVOKE_PAYLOAD_MAX_BYTES) break;
    }
    return this.fitPayload(batch);
  }

  private batchBytes(batch: SqsSourceMessage[]): number {
    let size = 0;
    for (const m of batch) size += Buffer.byteLength(m.body) + m.receiptHandle.length + 600;
    return size;
  }

  /** Cuts the batch where its event would pass 6 MB; the rest goes back to the queue at once. */
  private async fitPayload(batch: SqsSourceMessage[]): Promise<BatchRecord[]> {
    const out: BatchRecord[] = [];
    let size = 20;
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i] as SqsSourceMessage;
      const record = sqsRecord(m, this.config.queueArn);
      const json = JSON.stringify(record);
      size += Buffer.byteLength(json) + 1;
      if (size > limits.INVOKE_PAYLOAD_MAX_BYTES && i > 0) {
        await this.release(batch.slice(i).map((rest) => rest.receiptHandle));
        break;
      }
      out.push({ record, json, messageId: m.messageId, receiptHandle: m.receiptHandle });
    }
    return out;
  }

  private async release(receiptHandles: string[]): Promise<void> {
    for (const handle of receiptHandles) await this.source.changeVisibility(handle, 0);
  }

  private async process(batch: BatchRecord[]): Promise<void> {
    let matching = batch;
    if (this.filters) {
      const filters = this.filters;
      matching = batch.filter((r) => matchesAny(filters, filterViewOfSqsRecord(r.record)));
      // Messages no filter matches are deleted without invoking (AWS).
      if (matching.length < batch.length) {
        const kept = new Set(matching);
        await this.source.deleteMessages(batch.filter((r) => !kept.has(r)).map((r) => r.receiptHandle));
      }
    }
    if (matching.length === 0) return;
    // The records are already JSON: the event is `JSON.stringify({ Records })` without serializing them again.
    const payload = Buffer.from(`{"Records":[${matching.map((r) => r.json).join(',')}]}`);
    const outcome = await this.invoker.invoke(this.config.functionArn, payload);
    this.logger.debug({ uuid: this.config.uuid, outcome: outcome.kind, records: matching.length }, 'sqs mapping invoked');
    if (outcome.kind !== 'ok') {
      if (outcome.kind === 'unavailable') this.logger.warn({ uuid: this.config.uuid, reason: outcome.reason }, 'sqs mapping could not invoke its function');
      return; // the batch reappears after the visibility timeout
    }
    let failed: Set<string> | null = new Set();
    if (this.config.reportBatchItemFailures) {
      failed = failedItemIds(outcome.payload, new Set(matching.map((r) => r.messageId)));
      if (failed === null) return;
    }
    const succeeded = matching.filter((r) => !(failed as Set<string>).has(r.messageId)).map((r) => r.receiptHandle);
    await this.source.deleteMessages(succeeded);
  }
}
