import { randomUUID } from 'node:crypto';
import { InvocationThrottled } from '../../engine/concurrency/throttle.js';
import { pickWeightedVersion } from '../../services/lambda/alias-routing.js';
import { parseFunctionName } from '../../services/lambda/arns.js';
import type { LambdaDeps } from '../../services/lambda/deps.js';
import { invokeTargetOf } from '../../services/lambda/invoke-target.js';
import { readAlias } from '../../services/lambda/tables/aliases-table.js';

export type InvokeOutcome =
  | { kind: 'ok'; payload: Buffer }
  | { kind: 'function-error'; payload: Buffer }
  | { kind: 'throttled' }
  | { kind: 'unavailable'; reason: string };

/**
 * Runs a mapping's function synchronously with one batch, as Lambda's pollers do: resolves the
 * (possibly qualified) function ARN each time, so new versions, alias moves and deletions apply live.
 */
/** How long a resolved function version is reused before it is read again (keeps per-batch store reads off the hot path). */
const RESOLVE_CACHE_MS = 1000;

export class MappingFunctionInvoker {
  private readonly resolved = new Map<string, { at: number; version: string; row: NonNullable<Awaited<ReturnType<LambdaDeps['functions']['getVersion']>>> }>();

  constructor(private readonly deps: LambdaDeps) {}

  async invoke(functionArn: string, payload: Buffer): Promise<InvokeOutcome> {
    const parts = parseFunctionName(functionArn);
    const engine = this.deps.engine;
    if (!parts || !parts.accountId || !parts.region || !engine) return { kind: 'unavailable', reason: 'function not resolvable' };
    const scope = { accountId: parts.accountId, region: parts.region };
    const now = this.deps.clock.now();
    let cached = this.resolved.get(functionArn);
    if (!cached || now - cached.at > RESOLVE_CACHE_MS) {
      let version: string | undefined = parts.qualifier ?? '$LATEST';
      let weighted = false;
      if (parts.qualifier && parts.qualifier !== '$LATEST' && !/^\d+$/.test(parts.qualifier)) {
        const alias = await readAlias(this.deps.db, scope, parts.name, parts.qualifier);
        // Weighted aliases pick per invocation, so they are not cached.
        version = alias ? pickWeightedVersion(alias.FunctionVersion, alias.RoutingConfig?.AdditionalVersionWeights) : undefined;
        weighted = alias?.RoutingConfig?.AdditionalVersionWeights !== undefined;
      }
      const found = version ? await this.deps.functions.getVersion(scope, parts.name, version) : undefined;
      if (!found || !version) {
        this.resolved.delete(functionArn);
        return { kind: 'unavailable', reason: 'function not found' };
      }
      cached = { at: now, version, row: found };
      if (!weighted) this.resolved.set(functionArn, cached);
    }
    const { version, row } = cached;
    if (row.config.State && row.config.State !== 'Active' && row.config.State !== 'Inactive') return { kind: 'unavailable', reason: `function ${row.config.State}` };
    try {
      const result = await engine.invoke(invokeTargetOf(scope, parts.name, parts.qualifier, version, row), payload, { requestId: randomUUID() });
      return result.functionError ? { kind: 'function-error', payload: result.payload } : { kind: 'ok', payload: result.payload };
    } catch (err) {
      if (err instanceof InvocationThrottled) return { kind: 'throttled' };
      return { kind: 'unavailable', reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** The function's reserved concurrency (caps the poller's scaling), or null. */
  async reservedConcurrency(functionArn: string): Promise<number | null> {
    const parts = parseFunctionName(functionArn);
    if (!parts || !parts.accountId || !parts.region) return null;
    const fn = await this.deps.functions.getFunction({ accountId: parts.accountId, region: parts.region }, parts.name);
    return fn?.reservedConcurrency ?? null;
  }

  /** The function's timeout in seconds, for the effective visibility timeout. */
  async timeoutSeconds(functionArn: string): Promise<number> {
    const parts = parseFunctionName(functionArn);
    if (!parts || !parts.accountId || !parts.region) return 3;
    const row = await this.deps.functions.getVersion({ accountId: parts.accountId, region: parts.region }, parts.name, '$LATEST');
    return row?.config.Timeout ?? 3;
  }
}
