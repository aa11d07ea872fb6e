import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { CodeCache } from './code-cache.js';
import { Invocation, type InvocationResult } from './invocation.js';
import { KEEP_ALIVE_MS_DEFAULT } from './limits.js';
import { runtimeUnavailable } from './platform-errors.js';
import { EnvironmentPool } from './pool.js';
import { RuntimeCatalog } from './runtimes/catalog.js';
import { UnprivilegedUser } from './sandbox/unprivileged-user.js';
import { newTraceId } from './trace-id.js';

/** What to run: one function version, as the control plane stored it. */
export interface InvokeTarget {
  accountId: string;
  region: string;
  functionName: string;
  /** `$LATEST` or a version number (aliases are resolved by the caller). */
  version: string;
  /** ARN as the caller named it, handed to the runtime. */
  invokedFunctionArn: string;
  /** Changes whenever code or configuration does; environments of an older revision are retired. */
  revisionId: string;
  runtime: string | undefined;
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  variables: Record<string, string>;
  logGroupName: string;
  /** Hex SHA-256 of the deployment package in the blob store. */
  codeHex: string;
}

export interface InvokeOptions {
  /** Reused as the invocation's request id, so the API response and the logs agree. */
  requestId?: string;
  traceId?: string;
  /** Decoded client-context JSON. */
  clientContext?: string;
}

export interface EngineOptions {
  dataDir: string;
  /** Path of a code blob by its hex SHA-256. */
  blobPath: (hex: string) => string;
  logger: Logger;
  keepAliveMs?: number;
  /** The Lambkin URL functions get as `AWS_ENDPOINT_URL` (known once the server listens). */
  endpointUrl: () => string;
}

/**
 * The one door into execution. Knows nothing of HTTP: callers resolve names and qualifiers,
 * this runs the event in a warm or new environment and returns the raw result and log.
 */
export class Engine {
  private readonly pool: EnvironmentPool;
  private readonly code: CodeCache;
  private readonly catalog = new RuntimeCatalog();
  private readonly users: UnprivilegedUser;

  constructor(private readonly options: EngineOptions) {
    this.pool = new EnvironmentPool(options.keepAliveMs ?? KEEP_ALIVE_MS_DEFAULT);
    this.code = new CodeCache(path.join(options.dataDir, 'code'), options.blobPath);
    this.users = new UnprivilegedUser(options.logger);
  }

  async invoke(target: InvokeTarget, payload: Buffer, options: InvokeOptions = {}): Promise<InvocationResult> {
    const invocation = new Invocation({
      requestId: options.requestId ?? randomUUID(),
      payload,
      invokedFunctionArn: target.invokedFunctionArn,
      traceId: options.traceId ?? newTraceId(),
      clientContext: options.clientContext,
    });
    const key = `${target.accountId}/${target.region}/${target.functionName}/${target.version}`;
    const warm = this.pool.takeIdle(key, target.revisionId);
    if (warm) return warm.run(invocation);

    const codeDir = await this.code.directoryFor(target.codeHex);
    const resolution = await this.catalog.resolve(target.runtime, codeDir);
    if (!resolution.ok) {
      const error = runtimeUnavailable(invocation.request.requestId, resolution.reason);
      invocation.settle({ payload: Buffer.from(JSON.stringify(error)), functionError: true, status: 'error', errorType: error.errorType });
      invocation.complete({ durationMs: 0 });
      return invocation.result;
    }
    const user = await this.users.forPaths([...resolution.launch.needs, codeDir]);
    const env = this.pool.create(key, target.revisionId, {
      functionName: target.functionName,
      version: target.version,
      region: target.region,
      handler: target.handler,
      memoryMb: target.memoryMb,
      timeoutSeconds: target.timeoutSeconds,
      logGroupName: target.logGroupName,
      variables: target.variables,
      codeDir,
      launch: resolution.launch,
      user,
      endpointUrl: this.options.endpointUrl(),
      logger: this.options.logger,
    });
    const result = env.run(invocation);
    try {
      await env.start();
    } catch (err) {
      this.options.logger.error({ err, function: target.functionName }, 'could not start an execution environment');
      env.kill();
    }
    return result;
  }

  /** Live environments (for tests and metrics). */
  get environmentCount(): number {
    return this.pool.size;
  }

  close(): void {
    this.pool.close();
  }
}
