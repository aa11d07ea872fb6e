import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { ContainerImages } from '../../contracts/container-images.js';
import type { Clock } from '../../clock.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { FunctionInvokeCheck, InvokePolicyCheck } from '../../contracts/function-invoke-check.js';
import type { Engine } from '../../engine/invoke.js';
import type { Store } from '../../store/database.js';
import { AsyncEventQueue } from '../../store/queue/async-event-queue.js';
import { LambdaAsyncInvoker } from './async-invoker.js';
import { LambdaDeliverySink } from './delivery-sink.js';
import { FunctionInvoker } from './function-invoker.js';
import { functionInvokeCheck } from './invoke-permission-check.js';
import { FunctionsTable } from './tables/functions-table.js';

/** Lambda's ways in for everything else, made before the services that use them. */
export interface LambdaEntryPoints {
  functions: FunctionsTable;
  /** The one way to invoke a function by name (Invoke, doors, mappings, async attempts). */
  invoker: FunctionInvoker;
  /** The event-invoke queue: filled by `asyncInvoker`, drained by `async/`. */
  asyncQueue: AsyncEventQueue;
  /** What SNS, S3, EventBridge and destinations call to invoke asynchronously. */
  asyncInvoker: LambdaAsyncInvoker;
  /** Existence and resource-policy checks for S3 notifications and ALB targets. */
  invokeCheck: FunctionInvokeCheck & InvokePolicyCheck;
}

/**
 * S3, SNS and EventBridge invoke through the async invoker, S3 and ELB check functions, and Lambda
 * itself reads code from S3, so these exist before any service starts; the `lambda` delivery sink
 * (destinations that are functions) is registered here too.
 */
export function lambdaEntryPoints(deps: { db: Store; engine: Engine; asyncClock: Clock; sinks: DeliverySinks; images?: ContainerImages; metrics?: MetricRecorder }): LambdaEntryPoints {
  const functions = new FunctionsTable(deps.db);
  const invoker = new FunctionInvoker({ db: deps.db, functions, engine: deps.engine, ...(deps.images ? { images: deps.images } : {}) });
  const asyncQueue = new AsyncEventQueue(deps.db, deps.asyncClock);
  const asyncInvoker = new LambdaAsyncInvoker(invoker, asyncQueue, deps.metrics);
  deps.sinks.register(new LambdaDeliverySink(invoker, asyncInvoker));
  return { functions, invoker, asyncQueue, asyncInvoker, invokeCheck: functionInvokeCheck(deps.db, functions) };
}
