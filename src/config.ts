import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Credential } from './auth/credentials.js';
import { ACCOUNT_CONCURRENCY_LIMIT } from './services/lambda/limits.js';

export interface LambkinConfig {
  host: string;
  port: number;
  dataDir: string;
  /**
   * Where state lives: empty for SQLite in the data directory (the default), or a PostgreSQL URL
   * (`--store postgres://user@host/db`, LAMBKIN_STORE, or `store` in config.json).
   */
  store: string;
  /**
   * A directory every node reaches (NFS, a shared volume) for blobs: code zips, layers, image
   * layers (LAMBKIN_BLOB_DIR). Default: `<data-dir>/blobs`, and on a PostgreSQL store also the
   * database's chunk table, with `<data-dir>/blobs` as this node's cache of it.
   */
  blobDir?: string;
  /** Blobs nothing references are collected once they are older than this (LAMBKIN_BLOB_GC_GRACE_SECONDS, default an hour). */
  blobGcGraceMs: number;
  credentials: Credential[];
  provisioningDelayMs: number;
  allowDeprecatedRuntimes: boolean;
  /** Concurrent executions per account and region (AWS's default quota is 1,000). */
  accountConcurrencyLimit: number;
  /** On-demand Init budget before the suppressed-init retry; AWS's is 10 s (tests shorten it). */
  initTimeoutMs?: number;
  /** How long an idle environment stays warm (engine default: 5 minutes). */
  keepAliveMs?: number;
  /** Enforce Kinesis's per-shard throughput limits (off: a local stream is not sized by shards). */
  kinesisEnforceThroughput: boolean;
  /** How often DynamoDB looks for items past their TTL (AWS: within days; here within this interval). */
  dynamodbTtlSweepMs: number;
  /** How long S3 server access log records wait before they are written to the target bucket (LAMBKIN_S3_ACCESS_LOG_FLUSH_MS). */
  s3AccessLogFlushMs?: number;
  /** `auto`: bubblewrap where it works, else plain processes; `plain`: plain processes even where bubblewrap works. */
  isolation: 'auto' | 'plain';
  /** Let function code run as root when no unprivileged user can run it (plain mode); off by default. */
  allowRootFunctions: boolean;
  /** Each environment's output into the log store, bytes per second (0: unlimited). */
  logRateBytesPerSecond: number;
  /** The function log store's cap in MB; the oldest events go past it (0: unbounded). */
  logStoreMaxMb: number;
  /**
   * Where Node releases for nodejsNN.x are installed (`<data-dir>/runtimes/node`; LAMBKIN_NODE_RUNTIMES_DIR
   * shares one between data directories). Must be reachable by plain mode's unprivileged user.
   */
  nodeRuntimesDir: string;
  /**
   * Folders whose subfolders a function's code may come from (`S3Bucket: "hot-reload"`, the
   * `S3Key` an absolute path): LAMBKIN_HOT_RELOAD_ROOTS, `:`-separated; default the folder Lambkin
   * was started in.
   */
  hotReloadRoots: string[];
  /** Accept code from a host folder from clients off loopback too (LAMBKIN_HOT_RELOAD_REMOTE=1). */
  hotReloadFromRemote: boolean;
  /** Host loopback ports sandboxed functions may reach (a local database); none by default. */
  functionHostPorts: number[];
  /**
   * `isolated`: each bubblewrap environment in its own network namespace (where pasta exists);
   * `host`: environments share the host's network, loopback services included (LAMBKIN_FUNCTION_NETWORK).
   */
  functionNetwork: 'isolated' | 'host';
  /**
   * Spare environments kept ready per Node.js/Python runtime in use, for cold starts that skip the
   * interpreter's start (engine/sandbox/spare-environments.ts); 0 turns them off (LAMBKIN_SPARE_ENVIRONMENTS).
   */
  spareEnvironments: number;
  /**
   * A bearer token that lets clients off loopback read `/metrics` and `/_lambkin/billing`
   * (LAMBKIN_METRICS_TOKEN, or `metricsToken` in config.json); unset: loopback and SigV4 only.
   */
  metricsToken?: string;
  /** How often a node writes its cluster heartbeat (LAMBKIN_CLUSTER_HEARTBEAT_MS); a member silent 5 times as long is dead. */
  clusterHeartbeatMs: number;
  /**
   * Invocations a cluster node runs at once before it forwards a sync invoke it has no idle
   * environment for to a node under its own capacity (LAMBKIN_NODE_CAPACITY); unset: no limit.
   */
  nodeCapacity?: number;
  /** Write API calls put "AWS API Call via CloudTrail" events on the default bus; LAMBKIN_CLOUDTRAIL_EVENTS=0 turns them off. */
  cloudTrailEvents: boolean;
  /** `POST /_lambkin/reset` from other hosts than this one (LAMBKIN_ALLOW_REMOTE_RESET=1); off: loopback only. */
  allowRemoteReset: boolean;
  /** PEM certificate and key files HTTPS load balancer listeners serve (LAMBKIN_ALB_TLS_CERT, LAMBKIN_ALB_TLS_KEY); unset: a generated self-signed one. */
  albTls: { certFile?: string; keyFile?: string };
}

/** 1 MiB/s per environment (5 MiB at once): far above what a function logs on purpose. */
const LOG_RATE_BYTES_PER_SECOND_DEFAULT = 1024 * 1024;
const LOG_STORE_MAX_MB_DEFAULT = 1024;

interface ConfigFile {
  host?: string;
  port?: number;
  dataDir?: string;
  store?: string;
  credentials?: Credential[];
  functionHostPorts?: number[];
  metricsToken?: string;
}

/** Flags win over environment variables, which win over `<data-dir>/config.json`, which wins over defaults. */
export function resolveConfig(flags: { host?: string; port?: number; dataDir?: string; store?: string; config?: string }, env: NodeJS.ProcessEnv = process.env): LambkinConfig {
  const dataDir = path.resolve(flags.dataDir ?? env.LAMBKIN_DATA_DIR ?? './.lambkin');
  const file = readConfigFile(flags.config ?? env.LAMBKIN_CONFIG ?? path.join(dataDir, 'config.json'));
  const port = flags.port ?? (env.LAMBKIN_PORT ? Number(env.LAMBKIN_PORT) : undefined) ?? file.port ?? 4566;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${String(port)}`);
  return {
    host: flags.host ?? env.LAMBKIN_HOST ?? file.host ?? '127.0.0.1',
    port,
    dataDir,
    store: flags.store ?? env.LAMBKIN_STORE ?? file.store ?? '',
    blobDir: env.LAMBKIN_BLOB_DIR ? path.resolve(env.LAMBKIN_BLOB_DIR) : undefined,
    blobGcGraceMs: (positiveInteger(env.LAMBKIN_BLOB_GC_GRACE_SECONDS, 'LAMBKIN_BLOB_GC_GRACE_SECONDS') ?? 3600) * 1000,
    credentials: file.credentials ?? [],
    provisioningDelayMs: env.LAMBKIN_PROVISIONING_DELAY_MS ? Number(env.LAMBKIN_PROVISIONING_DELAY_MS) : 50,
    allowDeprecatedRuntimes: env.LAMBKIN_ALLOW_DEPRECATED_RUNTIMES === '1',
    accountConcurrencyLimit: positiveInteger(env.LAMBKIN_ACCOUNT_CONCURRENCY, 'LAMBKIN_ACCOUNT_CONCURRENCY') ?? ACCOUNT_CONCURRENCY_LIMIT,
    initTimeoutMs: positiveInteger(env.LAMBKIN_INIT_TIMEOUT_MS, 'LAMBKIN_INIT_TIMEOUT_MS'),
    keepAliveMs: positiveInteger(env.LAMBKIN_KEEP_ALIVE_MS, 'LAMBKIN_KEEP_ALIVE_MS'),
    kinesisEnforceThroughput: env.LAMBKIN_KINESIS_ENFORCE_THROUGHPUT === '1',
    dynamodbTtlSweepMs: (positiveInteger(env.LAMBKIN_DYNAMODB_TTL_SWEEP_SECONDS, 'LAMBKIN_DYNAMODB_TTL_SWEEP_SECONDS') ?? 30) * 1000,
    s3AccessLogFlushMs: positiveInteger(env.LAMBKIN_S3_ACCESS_LOG_FLUSH_MS, 'LAMBKIN_S3_ACCESS_LOG_FLUSH_MS'),
    isolation: isolationOf(env.LAMBKIN_ISOLATION),
    allowRootFunctions: env.LAMBKIN_ALLOW_ROOT_FUNCTIONS === '1',
    logRateBytesPerSecond: positiveInteger(env.LAMBKIN_LOG_RATE_BYTES_PER_SECOND, 'LAMBKIN_LOG_RATE_BYTES_PER_SECOND') ?? LOG_RATE_BYTES_PER_SECOND_DEFAULT,
    logStoreMaxMb: positiveInteger(env.LAMBKIN_LOG_STORE_MAX_MB, 'LAMBKIN_LOG_STORE_MAX_MB') ?? LOG_STORE_MAX_MB_DEFAULT,
    nodeRuntimesDir: nodeRuntimesDir(dataDir, env),
    hotReloadRoots: (env.LAMBKIN_HOT_RELOAD_ROOTS || process.cwd()).split(':').filter(Boolean).map((root) => path.resolve(root)),
    hotReloadFromRemote: env.LAMBKIN_HOT_RELOAD_REMOTE === '1',
    functionHostPorts: portList(env.LAMBKIN_FUNCTION_HOST_PORTS, 'LAMBKIN_FUNCTION_HOST_PORTS') ?? portList(file.functionHostPorts, 'functionHostPorts') ?? [],
    functionNetwork: functionNetworkOf(env.LAMBKIN_FUNCTION_NETWORK),
    spareEnvironments: spareCountOf(env.LAMBKIN_SPARE_ENVIRONMENTS),
    allowRemoteReset: env.LAMBKIN_ALLOW_REMOTE_RESET === '1',
    cloudTrailEvents: env.LAMBKIN_CLOUDTRAIL_EVENTS !== '0',
    metricsToken: metricsTokenOf(env.LAMBKIN_METRICS_TOKEN || file.metricsToken),
    clusterHeartbeatMs: positiveInteger(env.LAMBKIN_CLUSTER_HEARTBEAT_MS, 'LAMBKIN_CLUSTER_HEARTBEAT_MS') ?? 2000,
    nodeCapacity: positiveInteger(env.LAMBKIN_NODE_CAPACITY, 'LAMBKIN_NODE_CAPACITY'),
    albTls: albTlsOf(env.LAMBKIN_ALB_TLS_CERT, env.LAMBKIN_ALB_TLS_KEY),
  };
}

function albTlsOf(certFile: string | undefined, keyFile: string | undefined): { certFile?: string; keyFile?: string } {
  if (!certFile && !keyFile) return {};
  if (!certFile || !keyFile) throw new Error('LAMBKIN_ALB_TLS_CERT and LAMBKIN_ALB_TLS_KEY go together: set both PEM files, or neither for a generated certificate');
  return { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
}

/** The data directory (0711) is traversable by every user, unlike a home such as root's 0700 `/root`. */
export function nodeRuntimesDir(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.LAMBKIN_NODE_RUNTIMES_DIR || path.join(dataDir, 'runtimes', 'node'));
}

function isolationOf(value: string | undefined): 'auto' | 'plain' {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'plain') return 'plain';
  throw new Error(`invalid LAMBKIN_ISOLATION: ${value} (auto or plain)`);
}

function functionNetworkOf(value: string | undefined): 'isolated' | 'host' {
  if (value === undefined || value === '' || value === 'isolated') return 'isolated';
  if (value === 'host') return 'host';
  throw new Error(`invalid LAMBKIN_FUNCTION_NETWORK: ${value} (isolated or host)`);
}

function spareCountOf(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0 || count > 8) throw new Error(`invalid LAMBKIN_SPARE_ENVIRONMENTS: ${value} (0 to 8)`);
  return count;
}

/** `5432,6379` (environment) or `[5432, 6379]` (config.json). */
function portList(value: string | number[] | undefined, name: string): number[] | undefined {
  if (value === undefined || value === '') return undefined;
  const items = Array.isArray(value) ? value : value.split(',').map((part) => part.trim()).filter(Boolean).map(Number);
  for (const port of items) if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid ${name}: ${String(value)}`);
  return [...new Set(items)];
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid ${name}: ${value}`);
  return n;
}

function readConfigFile(file: string): ConfigFile {
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as ConfigFile;
}

/** A token short enough to guess is refused at start rather than trusted. */
function metricsTokenOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length < 16) throw new Error('LAMBKIN_METRICS_TOKEN (metricsToken) must be at least 16 characters');
  return value;
}
