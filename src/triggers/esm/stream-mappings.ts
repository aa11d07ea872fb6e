import type { Clock } from '../../clock.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { Logger } from '../../logger.js';
import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { KeyedLock } from '../../keyed-lock.js';
import { recordProcessingResult, type ProcessingResult } from '../../services/lambda/mapping-results.js';
import { mappingUuids, pollingMappings, type PollingMapping } from '../../services/lambda/polling-mappings.js';
import type { Store } from '../../store/database.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import type { MappingFunctionInvoker } from './function-invoker.js';
import { REMOTE_ENDPOINT_TAG } from './limits.js';
import { ReconcileLoop } from './reconcile-loop.js';
import { checkpointedMappings, deleteCheckpoints } from './stream-checkpoints.js';
import { startingPositionOf, type StreamKind } from './stream-kind.js';
import type { StreamMappingConfig } from './stream-mapping-context.js';
import { StreamMappingPoller } from './stream-mapping-poller.js';

interface Running {
  poller: StreamMappingPoller;
  fingerprint: string;
}

export interface StreamMappingPollersDeps {
  db: Store;
  clock: Clock;
  logger: Logger;
  /** Lambda's per-mapping lock, held while LastProcessingResult is written. */
  lock: KeyedLock;
  invoker: MappingFunctionInvoker;
  sinks: DeliverySinks;
  metrics?: MetricRecorder;
  /**
   * On a shared store: which of these mappings this node polls (each is polled by one node at a
   * time, and moves when its node dies: store/cluster/singletons.ts). Absent: all of them.
   */
  ownership?: (kind: string, uuids: readonly string[]) => Promise<ReadonlySet<string>>;
}

function configOf(kind: StreamKind, polling: PollingMapping): StreamMappingConfig {
  const { uuid, mapping } = polling;
  const streamArn = kind.streamArnOf(mapping.EventSourceArn);
  const destination = (mapping.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination;
  return {
    uuid,
    functionArn: mapping.FunctionArn,
    eventSourceArn: mapping.EventSourceArn,
    streamArn,
    region: streamArn.split(':')[3] ?? 'us-east-1',
    batchSize: Number(mapping.BatchSize ?? 100),
    batchingWindowSeconds: Number(mapping.MaximumBatchingWindowInSeconds ?? 0),
    parallelizationFactor: Math.max(1, Number(mapping.ParallelizationFactor ?? 1)),
    startingPosition: startingPositionOf(polling),
    maximumRetryAttempts: Number(mapping.MaximumRetryAttempts ?? -1),
    maximumRecordAgeSeconds: Number(mapping.MaximumRecordAgeInSeconds ?? -1),
    bisectOnFunctionError: mapping.BisectBatchOnFunctionError === true,
    reportBatchItemFailures: Array.isArray(mapping.FunctionResponseTypes) && mapping.FunctionResponseTypes.includes('ReportBatchItemFailures'),
    tumblingWindowSeconds: Number(mapping.TumblingWindowInSeconds ?? 0),
    filterCriteria: mapping.FilterCriteria,
    ...(destination ? { onFailureDestination: destination } : {}),
    maximumConcurrency: (mapping.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ?? null,
  };
}

/**
 * Keeps one `StreamMappingPoller` per enabled mapping of a stream kind in step with the mappings
 * table, a few times a second: new or enabled mappings start (from their checkpoints), any change
 * of configuration restarts the mapping's poller from its checkpoints, disabled ones stop and keep
 * their checkpoints, deleted ones stop and lose them. A mapping tagged `lambkin:sqs-endpoint=<url>`
 * reads that endpoint.
 */
export class StreamMappingPollers {
  private readonly running = new Map<string, Running>();
  /** LastProcessingResult as last written, per mapping (written only when it changes). */
  private readonly results = new Map<string, ProcessingResult>();
  private readonly loop: ReconcileLoop;
  private sweptCheckpoints = false;

  constructor(
    private readonly deps: StreamMappingPollersDeps,
    private readonly kind: StreamKind,
  ) {
    this.loop = new ReconcileLoop(deps.clock, deps.logger, () => this.reconcile(), { message: 'stream mappings not reconciled', context: { kind: kind.service } });
  }

  start(): void {
    this.loop.start();
  }

  /** Brings the pollers in step with the mappings table before returning (a reset has just emptied it). */
  reconcileNow(): Promise<void> {
    return this.loop.passNow();
  }

  async reconcile(): Promise<void> {
    let rows = await pollingMappings(this.deps.db, this.kind.service);
    if (this.deps.ownership) {
      const owned = await this.deps.ownership(this.kind.service, rows.map((r) => r.uuid));
      rows = rows.filter((r) => owned.has(r.uuid));
    }
    if (this.loop.stopped) return;
    const seen = new Set<string>();
    for (const polling of rows) {
      seen.add(polling.uuid);
      const config = configOf(this.kind, polling);
      const endpoint = polling.tags[REMOTE_ENDPOINT_TAG];
      const fingerprint = JSON.stringify({ config, endpoint });
      const current = this.running.get(polling.uuid);
      if (current?.fingerprint === fingerprint) continue;
      if (current) await this.stopOne(polling.uuid);
      if (this.loop.stopped) return;
      const poller = new StreamMappingPoller({
        config,
        source: this.kind.sourceFor(config.streamArn, endpoint),
        format: this.kind.format,
        invoker: this.deps.invoker,
        sinks: this.deps.sinks,
        db: this.deps.db,
        clock: this.deps.clock,
        logger: this.deps.logger,
        gate: new ConcurrencyGate(),
        metrics: this.deps.metrics,
        reportResult: (result) => this.report(polling.uuid, result),
      });
      this.running.set(polling.uuid, { poller, fingerprint });
      poller.start();
    }
    const gone = [...this.running.keys()].filter((uuid) => !seen.has(uuid));
    for (const uuid of gone) await this.stopOne(uuid);
    if (gone.length > 0 || !this.sweptCheckpoints) await this.dropDeletedCheckpoints();
  }

  /** Checkpoints of mappings that no longer exist (deleted while running, or while Lambkin was down). */
  private async dropDeletedCheckpoints(): Promise<void> {
    this.sweptCheckpoints = true;
    const existing = await mappingUuids(this.deps.db);
    for (const uuid of await checkpointedMappings(this.deps.db)) {
      if (!existing.has(uuid)) await deleteCheckpoints(this.deps.db, uuid);
    }
  }

  private report(uuid: string, result: ProcessingResult): void {
    if (this.results.get(uuid) === result) return;
    this.results.set(uuid, result);
    recordProcessingResult(this.deps, uuid, result).catch((err: unknown) => this.deps.logger.warn({ err, uuid }, 'LastProcessingResult not recorded'));
  }

  private async stopOne(uuid: string): Promise<void> {
    const current = this.running.get(uuid);
    this.running.delete(uuid);
    await current?.poller.stop();
  }

  /** Shards a mapping reads now (tests). */
  activeShardsOf(uuid: string): string[] {
    return this.running.get(uuid)?.poller.activeShards ?? [];
  }

  async close(): Promise<void> {
    this.loop.stop();
    await Promise.all([...this.running.keys()].map((uuid) => this.stopOne(uuid)));
  }
}
