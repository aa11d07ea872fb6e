import type { Clock } from '../../clock.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { Logger } from '../../logger.js';
import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { ProcessingResult } from '../../services/lambda/mapping-results.js';
import type { Store } from '../../store/database.js';
import type { ConcurrencyGate } from './concurrency-gate.js';
import type { Pattern } from './filter.js';
import type { MappingFunctionInvoker } from './function-invoker.js';
import type { StreamEventFormat } from './stream-event-format.js';
import type { StreamPosition, StreamSource } from './stream-source.js';

/** The parts of a stream mapping (Kinesis, DynamoDB Streams) its pollers act on. */
export interface StreamMappingConfig {
  uuid: string;
  /** As configured: possibly qualified (version, alias). */
  functionArn: string;
  /** The mapping's EventSourceArn (a stream, or a Kinesis consumer). */
  eventSourceArn: string;
  /** The stream records come from. */
  streamArn: string;
  region: string;
  batchSize: number;
  batchingWindowSeconds: number;
  parallelizationFactor: number;
  /** Where a shard without a checkpoint starts. */
  startingPosition: StreamPosition;
  /** −1: retry until the records expire. */
  maximumRetryAttempts: number;
  /** −1: no limit. */
  maximumRecordAgeSeconds: number;
  bisectOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  /** 0: off. */
  tumblingWindowSeconds: number;
  filterCriteria?: unknown;
  onFailureDestination?: string;
  maximumConcurrency: number | null;
}

/** What every shard poller of one mapping shares. */
export interface StreamMappingContext {
  config: StreamMappingConfig;
  filters: Pattern[] | null;
  source: StreamSource;
  format: StreamEventFormat;
  invoker: MappingFunctionInvoker;
  sinks: DeliverySinks;
  db: Store;
  clock: Clock;
  logger: Logger;
  gate: ConcurrencyGate;
  /** Where each sent batch's IteratorAge goes; none recorded when absent. */
  metrics?: MetricRecorder;
  /** Reads the function's reserved concurrency again when the last read is stale. */
  refreshConcurrencyLimit(): Promise<void>;
  reportResult(result: ProcessingResult): void;
  /** Aborts when the mapping's poller stops. */
  signal: AbortSignal;
  /** UTF-8 bytes of the role ARN as JSON in each record, as last seen (for the 6 MB cut). */
  roleJsonBytes: number;
  /** The role ARN as JSON, as the last invocation's records carried it (`""` before any). */
  roleJson: string;
}

/** Waits `ms` on the mapping's clock; resolves early (false) when `signal` aborts. */
export function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    if (signal.aborted) return resolve(false);
    const aborted = () => {
      timer.cancel();
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', aborted);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', aborted, { once: true });
  });
}
