import { setMaxListeners } from 'node:events';
import { compileFilters } from './filter.js';
import * as limits from './limits.js';
import { ShardPoller } from './shard-poller.js';
import { loadCheckpoints, type ShardCheckpoint } from './stream-checkpoints.js';
import { pause, type StreamMappingContext } from './stream-mapping-context.js';
import type { SourceShard } from './stream-source.js';

type ContextInput = Omit<StreamMappingContext, 'filters' | 'signal' | 'roleJsonBytes' | 'roleJson' | 'refreshConcurrencyLimit'>;

/**
 * One enabled stream mapping: a `ShardPoller` per shard whose parents are processed to their end
 * (a child starts only after its parents, so records before a split or merge are all delivered
 * before the children's), each running ParallelizationFactor lanes. Shards are listed when the
 * poller starts and again whenever a shard finishes. Batches of all shards share one concurrency
 * cap: ScalingConfig.MaximumConcurrency and the function's reserved concurrency.
 */
export class StreamMappingPoller {
  private readonly abort = new AbortController();
  private readonly ctx: StreamMappingContext;
  private readonly shards = new Map<string, ShardPoller>();
  private readonly finished = new Set<string>();
  private checkpoints = new Map<string, ShardCheckpoint>();
  private limitReadAt = Number.NEGATIVE_INFINITY;
  private listing: Promise<void> = Promise.resolve();
  private started: Promise<void> | undefined;

  constructor(input: ContextInput) {
    // Every lane, reader and wait of every shard listens on this signal: many, not a leak.
    setMaxListeners(0, this.abort.signal);
    this.ctx = {
      ...input,
      filters: compileFilters(input.config.filterCriteria),
      signal: this.abort.signal,
      // Until the first invocation tells the role: room for the longest role ARN.
      roleJsonBytes: 2050,
      roleJson: '""',
      refreshConcurrencyLimit: () => this.refreshConcurrencyLimit(),
    };
  }

  start(): void {
    this.started = this.run();
  }

  private async run(): Promise<void> {
    const { db, config, clock, logger } = this.ctx;
    for (;;) {
      try {
        this.checkpoints = await loadCheckpoints(db, config.uuid);
        break;
      } catch (err) {
        logger.warn({ err, uuid: config.uuid }, 'stream checkpoints not loaded; retrying');
        if (!(await pause(clock, limits.STREAM_SOURCE_ERROR_BACKOFF_MS, this.abort.signal))) return;
      }
    }
    for (const [shardId, checkpoint] of this.checkpoints) if (checkpoint.finished) this.finished.add(shardId);
    await this.refreshShards();
  }

  /** Lists the shards (retrying while the stream cannot be read) and starts every one that may start. */
  private refreshShards(): Promise<void> {
    this.listing = this.listing.then(async () => {
      const { source, clock, logger, config } = this.ctx;
      let failures = 0;
      while (!this.abort.signal.aborted) {
        try {
          this.startReady(await source.listShards());
          return;
        } catch (err) {
          if (failures++ === 0) logger.warn({ err, uuid: config.uuid }, 'stream mapping cannot list its shards; retrying');
          if (!(await pause(clock, limits.STREAM_SOURCE_ERROR_BACKOFF_MS, this.abort.signal))) return;
        }
      }
    });
    return this.listing;
  }

  private startReady(shards: SourceShard[]): void {
    const listed = new Set(shards.map((s) => s.shardId));
    for (const shard of shards) {
      if (this.shards.has(shard.shardId) || this.finished.has(shard.shardId)) continue;
      // A parent past retention is no longer listed: nothing of it is left to read first.
      const parents = [shard.parentShardId, shard.adjacentParentShardId].filter((p): p is string => p !== undefined && listed.has(p));
      if (!parents.every((p) => this.finished.has(p))) continue;
      const poller = new ShardPoller(this.ctx, shard.shardId, this.checkpoints.get(shard.shardId), (id) => this.shardFinished(id));
      this.shards.set(shard.shardId, poller);
      poller.start();
    }
  }

  private shardFinished(shardId: string): void {
    this.finished.add(shardId);
    void this.refreshShards();
  }

  private async refreshConcurrencyLimit(): Promise<void> {
    const now = this.ctx.clock.now();
    if (now - this.limitReadAt < limits.RESERVED_CONCURRENCY_REUSE_MS) return;
    this.limitReadAt = now;
    const reserved = await this.ctx.invoker.reservedConcurrency(this.ctx.config.functionArn).catch(() => null);
    const caps = [this.ctx.config.maximumConcurrency, reserved].filter((n): n is number => n !== null);
    this.ctx.gate.setLimit(caps.length > 0 ? Math.min(...caps) : Number.POSITIVE_INFINITY);
  }

  /** Shards being read now (tests, metrics). */
  get activeShards(): string[] {
    return [...this.shards.entries()].filter(([id]) => !this.finished.has(id)).map(([id]) => id);
  }

  /** Stops reading; batches in flight finish their invocation, nothing past them is checkpointed. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.started;
    await this.listing;
    await Promise.all([...this.shards.values()].map((s) => s.stopped()));
    this.ctx.source.close();
  }
}
