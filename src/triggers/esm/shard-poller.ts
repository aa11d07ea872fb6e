import { matchesAny } from './filter.js';
import * as limits from './limits.js';
import { laneOfKey, ShardFrontier, type FrontierEntry } from './shard-frontier.js';
import { deliverBatch, type BatchRecord } from './stream-batch.js';
import { saveCheckpoint, type ShardCheckpoint } from './stream-checkpoints.js';
import { pause, type StreamMappingContext } from './stream-mapping-context.js';
import type { SourceRecord, StreamPosition } from './stream-source.js';
import { windowOf, type OpenWindow } from './tumbling-window.js';

interface Queued {
  record: SourceRecord;
  entry: FrontierEntry;
}

/** One of a shard's ParallelizationFactor lanes: the records of its partition keys, in order. */
class Lane {
  readonly buffer: Queued[] = [];
  window: OpenWindow | null = null;
  /** When the oldest buffered record reached the lane (the batching window runs from there). */
  firstQueuedAt = 0;
  private waking: (() => void) | undefined;

  constructor(readonly index: number) {}

  push(item: Queued, now: number): void {
    if (this.buffer.length === 0) this.firstQueuedAt = now;
    this.buffer.push(item);
    this.wake();
  }

  wake(): void {
    this.waking?.();
  }

  /** Until woken (records, the shard's end, a stop) or `ms` passes. */
  wait(ms: number | undefined, ctx: StreamMappingContext): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : ctx.clock.setTimeout(() => done(), Math.max(0, ms));
      const done = () => {
        timer?.cancel();
        this.waking = undefined;
        ctx.signal.removeEventListener('abort', done);
        resolve();
      };
      this.waking = done;
      ctx.signal.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * Reads one shard in order and delivers it through ParallelizationFactor lanes (records routed by
 * partition key, each lane one batch at a time), checkpointing past records every lane has finished
 * with. A shard with nothing new waits on the source's signal; a closed shard read to its end is
 * marked finished, and `onFinished` lets its children start.
 */
export class ShardPoller {
  private readonly lanes: Lane[];
  private readonly frontier = new ShardFrontier();
  private readEnded = false;
  private checkpointed: string | null;
  private saving: Promise<void> = Promise.resolve();
  private wakeReader: (() => void) | undefined;
  private run: Promise<void> | undefined;

  constructor(
    private readonly ctx: StreamMappingContext,
    readonly shardId: string,
    checkpoint: ShardCheckpoint | undefined,
    private readonly onFinished: (shardId: string) => void,
  ) {
    this.lanes = Array.from({ length: ctx.config.parallelizationFactor }, (_, i) => new Lane(i));
    this.checkpointed = checkpoint?.sequenceNumber ?? null;
    for (const [lane, window] of Object.entries(checkpoint?.windows ?? {})) {
      const target = this.lanes[Number(lane)];
      if (target) target.window = window;
    }
  }

  start(): void {
    this.run = this.runAll().catch((err: unknown) => this.ctx.logger.error({ err, uuid: this.ctx.config.uuid, shardId: this.shardId }, 'shard poller failed'));
  }

  /** Resolves once the reader and every lane have stopped (the mapping's signal aborts them). */
  stopped(): Promise<void> {
    return this.run ?? Promise.resolve();
  }

  private async runAll(): Promise<void> {
    await Promise.all([this.readLoop(), ...this.lanes.map((lane) => this.laneLoop(lane))]);
    if (this.ctx.signal.aborted || !this.readEnded || this.frontier.size > 0) return;
    await this.saveProgress(true);
    this.ctx.source.release(this.shardId);
    this.onFinished(this.shardId);
  }

  private get readAhead(): number {
    const { batchSize, parallelizationFactor } = this.ctx.config;
    return Math.max(batchSize * 2, Math.min(limits.STREAM_READ_AHEAD_MAX_RECORDS, batchSize * parallelizationFactor * 2));
  }

  private async readLoop(): Promise<void> {
    const { source, signal, clock, config, logger } = this.ctx;
    let position: StreamPosition = this.checkpointed ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.checkpointed } : config.startingPosition;
    let failures = 0;
    while (!signal.aborted) {
      const room = this.readAhead - this.frontier.size;
      if (room <= 0) {
        await this.readerWait();
        continue;
      }
      let page;
      try {
        page = await source.read(this.shardId, position, Math.min(10_000, room));
        failures = 0;
      } catch (err) {
        if (failures++ === 0) logger.warn({ err, uuid: config.uuid, shardId: this.shardId }, 'stream mapping cannot read its shard; retrying');
        if (!(await pause(clock, limits.STREAM_SOURCE_ERROR_BACKOFF_MS, signal))) return;
        continue;
      }
      const now = clock.now();
      for (const record of page.records) {
        const lane = this.lanes[laneOfKey(record.partitionKey, this.lanes.length)] as Lane;
        lane.push({ record, entry: this.frontier.push(record.sequenceNumber) }, now);
      }
      if (page.next === null) {
        this.readEnded = true;
        for (const lane of this.lanes) lane.wake();
        return;
      }
      position = page.next;
      if (page.records.length === 0) await source.waitForRecords(this.shardId, limits.STREAM_IDLE_RECHECK_MS, signal);
    }
  }

  private readerWait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.wakeReader = undefined;
        this.ctx.signal.removeEventListener('abort', done);
        resolve();
      };
      this.wakeReader = done;
      this.ctx.signal.addEventListener('abort', done, { once: true });
    });
  }

  private async laneLoop(lane: Lane): Promise<void> {
    const { config, clock, signal } = this.ctx;
    while (!signal.aborted) {
      if (lane.buffer.length === 0) {
        if (this.readEnded) break;
        if (lane.window && clock.now() >= lane.window.endMs) {
          if (!(await this.closeWindow(lane))) return;
          continue;
        }
        await lane.wait(lane.window ? lane.window.endMs - clock.now() : undefined, this.ctx);
        continue;
      }
      if (config.batchingWindowSeconds > 0 && lane.buffer.length < config.batchSize && !this.readEnded) {
        const left = lane.firstQueuedAt + config.batchingWindowSeconds * 1000 - clock.now();
        if (left > 0) {
          await lane.wait(left, this.ctx);
          continue;
        }
      }
      const batch = this.takeBatch(lane);
      let window: OpenWindow | null = null;
      if (config.tumblingWindowSeconds > 0) {
        const current = windowOf((batch[0] as Queued).record.arrivalMs, config.tumblingWindowSeconds);
        if (lane.window && lane.window.startMs !== current.startMs && !(await this.closeWindow(lane))) return;
        window = lane.window ??= { ...current, state: {} };
      }
      const filters = this.ctx.filters;
      const matching = filters ? batch.filter((q) => matchesAny(filters, this.ctx.format.filterView(q.record))) : batch;
      // Records no filter matches are skipped and checkpointed past (AWS).
      if (matching.length < batch.length) {
        const kept = new Set(matching);
        for (const q of batch) if (!kept.has(q)) q.entry.done = true;
      }
      const entries = new Map(matching.map((q) => [q.record, q.entry]));
      const context = { shardId: this.shardId, eventSourceArn: config.streamArn, region: config.region };
      const records: BatchRecord[] = matching.map((q) => ({ record: q.record, encoded: this.ctx.format.encode(q.record, context) }));
      const delivered =
        records.length === 0 ||
        (await deliverBatch(this.ctx, this.shardId, records, window, false, async (finished) => {
          for (const r of finished) (entries.get(r.record) as FrontierEntry).done = true;
          await this.saveProgress();
        }));
      if (!delivered) return;
      if (records.length === 0) await this.saveProgress();
      if (lane.window?.terminatedEarly && !(await this.closeWindow(lane))) return;
    }
    if (lane.window && !signal.aborted) await this.closeWindow(lane);
  }

  /** Up to BatchSize records within 6 MB, all of one tumbling window when windows are on. */
  private takeBatch(lane: Lane): Queued[] {
    const { config } = this.ctx;
    const first = lane.buffer[0] as Queued;
    const windowStart = config.tumblingWindowSeconds > 0 ? windowOf(first.record.arrivalMs, config.tumblingWindowSeconds).startMs : null;
    let bytes = 64 + (lane.window ? Buffer.byteLength(JSON.stringify(lane.window.state ?? {})) + 512 : 0);
    let count = 0;
    while (count < lane.buffer.length && count < config.batchSize) {
      const q = lane.buffer[count] as Queued;
      if (windowStart !== null && windowOf(q.record.arrivalMs, config.tumblingWindowSeconds).startMs !== windowStart) break;
      // Base64 data, the record's other members and the role ARN.
      bytes += Math.ceil(q.record.data.length / 3) * 4 + Buffer.byteLength(q.record.partitionKey) + 420 + this.ctx.roleJsonBytes;
      if (bytes > limits.INVOKE_PAYLOAD_MAX_BYTES && count > 0) break;
      count++;
    }
    const batch = lane.buffer.splice(0, count);
    if (lane.buffer.length > 0) lane.firstQueuedAt = this.ctx.clock.now();
    return batch;
  }

  /** The window's final invocation (no records, its state, `isFinalInvokeForWindow`); false when stopped. */
  private async closeWindow(lane: Lane): Promise<boolean> {
    const window = lane.window;
    if (!window) return true;
    const ok = await deliverBatch(this.ctx, this.shardId, [], window, true, async () => undefined);
    if (!ok) return false;
    lane.window = null;
    await this.saveProgress();
    return true;
  }

  /** Persists the checkpoint (and open windows) once the front of the shard is finished with. */
  private async saveProgress(finished = false): Promise<void> {
    const advanced = this.frontier.advance();
    this.wakeReader?.();
    if (advanced === null && !finished && this.ctx.config.tumblingWindowSeconds === 0) return;
    if (advanced !== null) this.checkpointed = advanced;
    const windows: Record<number, OpenWindow> = {};
    for (const lane of this.lanes) if (lane.window) windows[lane.index] = lane.window;
    const checkpoint = { sequenceNumber: this.checkpointed, finished, windows };
    const { db, config, clock, logger } = this.ctx;
    this.saving = this.saving
      .then(() => saveCheckpoint(db, config.uuid, this.shardId, checkpoint, clock.now()))
      .catch((err: unknown) => logger.error({ err, uuid: config.uuid, shardId: this.shardId }, 'stream checkpoint not saved'));
    await this.saving;
  }
}
