import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Credential } from './auth/credentials.js';
import { ACCOUNT_CONCURRENCY_LIMIT } from './services/lambda/limits.js';

export interface LambkinConfig {
  host: string;
  port: number;
  dataDir: string;
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
}

/** 1 MiB/s per environment (5 MiB at once): far above what a function logs on purpose. */
const LOG_RATE_BYTES_PER_SECOND_DEFAULT = 1024 * 1024;
const LOG_STORE_MAX_MB_DEFAULT = 1024;

interface ConfigFile {
  host?: string;
  port?: number;
  dataDir?: string;
  credentials?: Credential[];
  functionHostPorts?: number[];
}

/** Flags win over environment variables, which win over `<data-dir>/config.json`, which wins over defaults. */
export function resolveConfig(flags: { host?: string; port?: number; dataDir?: string; config?: string }, env: NodeJS.ProcessEnv = process.env): LambkinConfig {
  const dataDir = path.resolve(flags.dataDir ?? env.LAMBKIN_DATA_DIR ?? './.lambkin');
  const file = readConfigFile(flags.config ?? env.LAMBKIN_CONFIG ?? path.join(dataDir, 'config.json'));
  const port = flags.port ?? (env.LAMBKIN_PORT ? Number(env.LAMBKIN_PORT) : undefined) ?? file.port ?? 4566;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${String(port)}`);
  return {
    host: flags.host ?? env.LAMBKIN_HOST ?? file.host ?? '127.0.0.1',
    port,
    dataDir,
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
  };
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
