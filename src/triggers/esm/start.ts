import type { Clock } from '../../clock.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { Logger } from '../../logger.js';
import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { DynamodbStreamReader } from '../../services/dynamodb/streams/stream-reader.js';
import type { StreamReader } from '../../services/kinesis/stream-reader.js';
import type { FunctionInvoker } from '../../services/lambda/function-invoker.js';
import type { KeyedLock } from '../../keyed-lock.js';
import type { SqsQueues } from '../../services/sqs/queues.js';
import type { Store } from '../../store/database.js';
import { dynamodbStreamKind } from './dynamodb-kind.js';
import { MappingFunctionInvoker } from './function-invoker.js';
import { kinesisStreamKind } from './kinesis-kind.js';
import { SqsMappingPollers } from './sqs-mappings.js';
import { StreamMappingPollers } from './stream-mappings.js';

export interface StartedEventSourcePollers {
  /** Starts polling; after the server listens, as functions need its URL. */
  start(): void;
  /** Stops the pollers of mappings that are gone (and starts new ones) before returning. */
  reconcileNow(): Promise<void>;
  close(): Promise<void>;
}

/** The pollers of event source mappings, SQS, Kinesis and DynamoDB Streams, each invoking through Lambda's invoker. */
export async function startEventSourcePollers(deps: {
  db: Store;
  clock: Clock;
  logger: Logger;
  queues: SqsQueues;
  streams: StreamReader;
  /** Absent until DynamoDB runs in this process: DynamoDB stream mappings then wait. */
  dynamodbStreams?: DynamodbStreamReader;
  invoker: FunctionInvoker;
  /** Lambda's per-mapping lock, held while a stream mapping's LastProcessingResult is written. */
  lambdaLock: KeyedLock;
  /** Where stream mappings send OnFailure records. */
  sinks: DeliverySinks;
  /** Where stream mappings record IteratorAge. */
  metrics?: MetricRecorder;
  /** On a shared store: the stream mappings this node polls (see StreamMappingPollersDeps). */
  ownership?: (kind: string, uuids: readonly string[]) => Promise<ReadonlySet<string>>;
  /** On a shared store: whether this node serves an embedded queue (its mappings run where it is served). */
  servesQueue?: (queueArn: string) => boolean;
}): Promise<StartedEventSourcePollers> {
  const { db, clock, logger } = deps;
  const sqs = new SqsMappingPollers({ db, clock, logger, queues: deps.queues, invoker: new MappingFunctionInvoker({ invoker: deps.invoker, clock }), ...(deps.servesQueue ? { servesQueue: deps.servesQueue } : {}) });
  const streamDeps = { db, clock, logger, lock: deps.lambdaLock, invoker: new MappingFunctionInvoker({ invoker: deps.invoker, clock }), sinks: deps.sinks, metrics: deps.metrics, ownership: deps.ownership };
  const streams = new StreamMappingPollers(streamDeps, kinesisStreamKind(deps.streams));
  const dynamodbStreams = deps.dynamodbStreams ? new StreamMappingPollers(streamDeps, dynamodbStreamKind(deps.dynamodbStreams)) : undefined;
  return {
    start() {
      sqs.start();
      streams.start();
      dynamodbStreams?.start();
    },
    async reconcileNow() {
      await Promise.all([sqs.reconcileNow(), streams.reconcileNow(), dynamodbStreams?.reconcileNow()]);
    },
    async close() {
      await sqs.close();
      await streams.close();
      await dynamodbStreams?.close();
    },
  };
}
