import type { LambdaAsyncInvoker } from './async-invoker.js';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { Clock } from '../../clock.js';
import type { Engine } from '../../engine/invoke.js';
import type { Logger } from '../../logger.js';
import type { BlobStore } from '../../store/blobs.js';
import type { ContainerImages } from '../../contracts/container-images.js';
import type { ExecutionRoleCheck } from '../../contracts/execution-roles.js';
import type { Store } from '../../store/database.js';
import type { S3CodeSource } from './code-from-s3.js';
import type { KeyedLock } from '../../keyed-lock.js';
import type { HostFolderCode } from './hot-reload/host-folder-code.js';
import type { HostFolderLayers } from './hot-reload/host-folder-layers.js';
import type { EventSourceLookup } from './event-source-lookup.js';
import type { Scope } from './model.js';
import type { ProvisionedConcurrencyConfig } from './tables/provisioned-concurrency-table.js';
import type { Provisioner } from './provisioner.js';
import type { FunctionInvoker } from './function-invoker.js';
import type { InvokeForwarding } from './invoke-forwarding.js';
import type { FunctionsTable } from './tables/functions-table.js';

/** What every Lambda operation handler may use. */
export interface LambdaDeps {
  db: Store;
  blobs: BlobStore;
  clock: Clock;
  logger: Logger;
  functions: FunctionsTable;
  provisioner: Provisioner;
  /**
   * How long a transitional state lasts before it settles: a version's Pending, an update's
   * InProgress (the provisioner's delay) and an event source mapping's Creating, Updating,
   * Enabling, Disabling and Deleting. One setting, so a test that needs time to act on a
   * transitional state gets it for all of them.
   */
  transitionDelayMs: number;
  /** Serializes read-modify-write per function (key from `functionLockKey`) or per layer. */
  lock: KeyedLock;
  codeUrlSecret: Buffer;
  allowDeprecatedRuntimes: boolean;
  accountConcurrencyLimit: number;
  /** Runs functions (Invoke); absent where only the control plane is wired. */
  engine?: Engine;
  /** The one way to invoke a function by name; every trigger uses the same instance. */
  invoker: FunctionInvoker;
  /** Queues `Event` invocations; absent where asynchronous invocation is not wired. */
  asyncInvoker?: LambdaAsyncInvoker;
  /** Delivery targets by ARN service: a DLQ or destination is accepted only where a sink exists. */
  deliverySinks?: DeliverySinks;
  /** Answers whether an event source (queue, stream) exists; absent accepts every well-formed ARN. */
  eventSources?: EventSourceLookup;
  /** Reads deployment packages named by `S3Bucket`/`S3Key`; absent where no S3 is wired. */
  s3Code?: S3CodeSource;
  /** The container registry's images (ImageUri); absent where no registry is wired. */
  images?: ContainerImages;
  /** Code from host folders with hot reload (`S3Bucket: "hot-reload"`); absent where not wired. */
  hostFolders?: HostFolderCode;
  /** Layer versions whose content is a host folder, watched; wired with `hostFolders`. */
  hostFolderLayers?: HostFolderLayers;
  /** Whether Lambda may assume a role Lambkin's IAM knows; absent where no IAM is wired. */
  executionRoles?: ExecutionRoleCheck;
  /** On a shared store: sends a sync invoke this node has no idle environment for to a node that has one. */
  invokeForwarding?: InvokeForwarding;
  /** On a shared store: which provisioned environments this node keeps (else it keeps them all). */
  provisionedPlacement?: ProvisionedPlacing;
}

/** Provisioned environments shared out over a cluster (provisioned-placement.ts). */
export interface ProvisionedPlacing {
  /** Passes over the configs now: a Put or Delete changed them. */
  kick(): void;
  /** The config with its counts and status as the whole cluster stands. */
  clusterView(version: string, scope: Scope, name: string, config: ProvisionedConcurrencyConfig): ProvisionedConcurrencyConfig;
  start(): void;
  close(): void;
}
