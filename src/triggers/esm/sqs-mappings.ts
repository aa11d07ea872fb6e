import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { SqsQueues } from '../../services/sqs/queues.js';
import { pollingMappings } from '../../services/lambda/polling-mappings.js';
import type { Store } from '../../store/database.js';
import { EmbeddedSqsSource } from './embedded-sqs-source.js';
import type { MappingFunctionInvoker } from './function-invoker.js';
import { REMOTE_ENDPOINT_TAG } from './limits.js';
import { ReconcileLoop } from './reconcile-loop.js';
import { RemoteSqsSource } from './remote-sqs-source.js';
import { SqsPoller, type SqsMappingConfig } from './sqs-poller.js';


interface Running {
  poller: SqsPoller;
  sourceKey: string;
  fingerprint: string;
}

/**
 * Keeps one poller per enabled SQS mapping in step with the mappings table: a few times a second
 * it starts pollers for new or enabled mappings, applies updates live and stops pollers of
 * disabled or deleted ones. A mapping tagged `lambkin:sqs-endpoint=<url>` polls that endpoint.
 */
export class SqsMappingPollers {
  private readonly running = new Map<string, Running>();
  private readonly loop: ReconcileLoop;

  constructor(
    private readonly deps: {
      db: Store; clock: Clock; logger: Logger; queues: SqsQueues; invoker: MappingFunctionInvoker;
      /**
       * On a shared store: whether this node serves the embedded queue. A mapping's poller runs on
       * the node serving its queue and moves with it (stopped here, started there at the next
       * reconcile). Mappings of a remote endpoint run on every node, competing consumers of it.
       */
      servesQueue?: (queueArn: string) => boolean;
    },
  ) {
    this.loop = new ReconcileLoop(deps.clock, deps.logger, () => this.reconcile(), { message: 'sqs mappings not reconciled' });
  }

  start(): void {
    this.loop.start();
  }

  /** Brings the pollers in step with the mappings table before returning (a reset has just emptied it). */
  reconcileNow(): Promise<void> {
    return this.loop.passNow();
  }

  async reconcile(): Promise<void> {
    const rows = await pollingMappings(this.deps.db, 'sqs');
    if (this.loop.stopped) return;
    const seen = new Set<string>();
    for (const { uuid, mapping, tags } of rows) {
      const endpoint = tags[REMOTE_ENDPOINT_TAG];
      if (!endpoint && this.deps.servesQueue && !this.deps.servesQueue(mapping.EventSourceArn)) continue;
      seen.add(uuid);
      const config: SqsMappingConfig = {
        uuid,
        functionArn: mapping.FunctionArn,
        queueArn: mapping.EventSourceArn,
        batchSize: Number(mapping.BatchSize ?? 10),
        windowSeconds: Number(mapping.MaximumBatchingWindowInSeconds ?? 0),
        filterCriteria: mapping.FilterCriteria,
        reportBatchItemFailures: Array.isArray(mapping.FunctionResponseTypes) && mapping.FunctionResponseTypes.includes('ReportBatchItemFailures'),
        maximumConcurrency: (mapping.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ?? null,
      };
      const sourceKey = `${config.queueArn} ${endpoint ?? ''}`;
      const fingerprint = JSON.stringify(config);
      const current = this.running.get(uuid);
      if (current && current.sourceKey === sourceKey) {
        if (current.fingerprint !== fingerprint) {
          current.poller.update(config);
          current.fingerprint = fingerprint;
        }
        continue;
      }
      if (current) await this.stopOne(uuid);
      const source = endpoint ? new RemoteSqsSource(config.queueArn, endpoint) : new EmbeddedSqsSource(this.deps.queues, config.queueArn);
      const poller = new SqsPoller(config, source, this.deps.invoker, this.deps.clock, this.deps.logger);
      this.running.set(uuid, { poller, sourceKey, fingerprint });
      poller.start();
    }
    for (const running of [...this.running.keys()]) if (!seen.has(running)) await this.stopOne(running);
  }

  private async stopOne(uuid: string): Promise<void> {
    const current = this.running.get(uuid);
    this.running.delete(uuid);
    await current?.poller.stop();
  }

  /** How many batches a mapping's poller runs at once now (tests, metrics). */
  concurrencyOf(uuid: string): number {
    return this.running.get(uuid)?.poller.concurrency ?? 0;
  }

  async close(): Promise<void> {
    this.loop.stop();
    await Promise.all([...this.running.keys()].map((uuid) => this.stopOne(uuid)));
  }
}
