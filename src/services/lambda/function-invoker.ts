import { InvocationThrottled, type ThrottleReason } from '../../engine/concurrency/throttle.js';
import type { InvocationResult } from '../../engine/invocation.js';
import type { Engine, InvokeOptions } from '../../engine/invoke.js';
import type { Store } from '../../store/database.js';
import { functionArn, parseFunctionName } from './arns.js';
import { readEventInvokeSettings, type EventInvokeSettings } from './event-invoke-settings.js';
import { qualifierRouting, versionForInvocation, type QualifierRouting } from './function-resolution.js';
import { invokeTargetOf } from './invoke-target.js';
import { isInvokeAllowed, type InvokeRequest } from './policy-check.js';
import type { FunctionRef } from './model.js';
import type { FunctionsTable, VersionRow } from './tables/functions-table.js';
import type { ContainerImages } from '../../contracts/container-images.js';
import { transitionState, type FunctionState } from './function-state.js';
import { decodeImageCode } from './image-code.js';

export type { FunctionRef };

/** One invocation's function, resolved: the version it runs (an alias drew by its weights) and what runs it. */
export interface ResolvedInvocation {
  ref: FunctionRef;
  version: string;
  /** False while the function is `Pending` or `Failed`; `Inactive` runs (an invoke re-activates it on AWS). */
  runnable: boolean;
  /** The function's `State`, for the error a caller reports when it is not runnable. */
  state: string | undefined;
  /** Reserved concurrency of the function, or null. */
  reservedConcurrency: number | null;
  /** The version's stored configuration, read by this module and the event-invoke settings. */
  readonly row: VersionRow;
}

export type Resolution =
  | { kind: 'resolved'; invocation: ResolvedInvocation }
  /** No such function: AWS names the unqualified ARN. */
  | { kind: 'function-not-found'; arn: string }
  /** The function exists, the qualifier names nothing: AWS names the qualified ARN. */
  | { kind: 'qualifier-not-found'; arn: string };

export type InvokeOutcome =
  | { kind: 'answered'; result: InvocationResult }
  | { kind: 'throttled'; reason: ThrottleReason };

export interface FunctionInvokerDeps {
  db: Store;
  functions: FunctionsTable;
  /** Absent where only the control plane is wired: resolution works, `invoke` refuses. */
  engine?: Engine;
  /** The registry, to notice a container image function's image was deleted. */
  images?: ContainerImages;
}

/**
 * The one way to invoke a function by name, for every caller: the Invoke operations, the HTTP
 * front doors, event source mappings and asynchronous attempts. It resolves the qualifier (an
 * alias draws its version per invocation), says whether the function's state lets it run, builds
 * the engine's target and maps a throttle to an outcome. No caller outside `services/lambda`
 * reads Lambda's tables.
 */
export class FunctionInvoker {
  private readonly routes = new Map<string, { at: number; routing: QualifierRouting | null }>();

  constructor(private readonly deps: FunctionInvokerDeps) {}

  /**
   * Resolves the function for one invocation. `reuseRoutingForMs` lets a busy caller (a poller
   * sending batch after batch) reuse an alias's routing for that long instead of reading it per
   * call; the weighted draw is still made per invocation. `drawn` is the version the node that
   * forwarded this invocation drew, kept when the routing may draw it.
   */
  async resolve(ref: FunctionRef, options: { reuseRoutingForMs?: number; now?: number; drawn?: string } = {}): Promise<Resolution> {
    const { scope, name, qualifier } = ref;
    const fn = await this.deps.functions.getFunction(scope, name);
    if (!fn) return { kind: 'function-not-found', arn: functionArn(scope.region, scope.accountId, name) };
    const routing = await this.routingOf(ref, options);
    const version = routing ? (options.drawn !== undefined && routesTo(routing, options.drawn) ? options.drawn : versionForInvocation(routing)) : null;
    const row = version ? await this.deps.functions.getVersion(scope, name, version) : undefined;
    if (!version || !row) return { kind: 'qualifier-not-found', arn: functionArn(scope.region, scope.accountId, name, qualifier) };
    const state = (await this.imageGone(ref, version, row)) ? 'Failed' : row.config.State;
    return {
      kind: 'resolved',
      invocation: { ref, version, row, state, runnable: !state || state === 'Active' || state === 'Inactive', reservedConcurrency: fn.reservedConcurrency ?? null },
    };
  }

  /**
   * A container image function whose image was deleted from the registry after create can run no
   * more, as on AWS: its version turns Failed with reason code ImageDeleted (once; an update with a
   * new ImageUri brings it back).
   */
  private async imageGone(ref: FunctionRef, version: string, row: VersionRow): Promise<boolean> {
    if (row.config.StateReasonCode === 'ImageDeleted') return true;
    const images = this.deps.images;
    const image = images && row.config.PackageType === 'Image' ? decodeImageCode(row.codeHex) : null;
    if (!images || !image || (await images.exists(image))) return false;
    const state = (row.config.State ?? 'Active') as FunctionState;
    const config = {
      ...row.config,
      State: state === 'Failed' ? state : transitionState(state, 'imageDeleted'),
      StateReason: `Lambda was unable to access the image ${image.resolvedImageUri} because it was deleted.`,
      StateReasonCode: 'ImageDeleted',
    };
    await this.deps.functions.putVersion(ref.scope, ref.name, version, config, row.codeHex, Date.now());
    return true;
  }

  /** Runs a resolved invocation; a throttle is an outcome, any other failure of the platform throws. */
  async invoke(invocation: ResolvedInvocation, payload: Buffer, options: InvokeOptions): Promise<InvokeOutcome> {
    const engine = this.deps.engine;
    if (!engine) throw new Error('no engine is wired to run functions');
    const { ref, version, row } = invocation;
    try {
      const result = await engine.invoke(invokeTargetOf(ref.scope, ref.name, ref.qualifier, version, row), payload, options);
      return { kind: 'answered', result };
    } catch (err) {
      if (err instanceof InvocationThrottled) return { kind: 'throttled', reason: err.reason };
      throw err;
    }
  }

  /** Whether the function's resource policy lets this caller (a service, another account) invoke it. */
  isAllowed(ref: FunctionRef, request: InvokeRequest): Promise<boolean> {
    return isInvokeAllowed(this.deps.db, ref.scope, ref.name, ref.qualifier, request);
  }

  /** Retries, event age and destinations for an asynchronous attempt of this invocation. */
  eventInvokeSettings(invocation: ResolvedInvocation): Promise<EventInvokeSettings> {
    return readEventInvokeSettings(this.deps.db, this.deps.functions, invocation.ref, invocation.row.config.DeadLetterConfig?.TargetArn);
  }

  /** The function's timeout in seconds (of `$LATEST`), e.g. for an SQS mapping's visibility timeout. */
  async timeoutSeconds(ref: FunctionRef): Promise<number | undefined> {
    return (await this.deps.functions.getVersion(ref.scope, ref.name, '$LATEST'))?.config.Timeout;
  }

  /** The function's reserved concurrency, or null when none is set or the function is gone. */
  async reservedConcurrency(ref: FunctionRef): Promise<number | null> {
    return (await this.deps.functions.getFunction(ref.scope, ref.name))?.reservedConcurrency ?? null;
  }

  /** Whether the function exists (a destination or notification target, checked when configured). */
  async exists(ref: FunctionRef): Promise<boolean> {
    return (await this.deps.functions.getFunction(ref.scope, ref.name)) !== undefined;
  }

  private async routingOf(ref: FunctionRef, options: { reuseRoutingForMs?: number; now?: number }): Promise<QualifierRouting | null> {
    const { scope, name, qualifier } = ref;
    if (!options.reuseRoutingForMs || options.now === undefined) return qualifierRouting(this.deps.db, scope, name, qualifier);
    const key = `${scope.accountId}/${scope.region}/${name}:${qualifier ?? ''}`;
    const cached = this.routes.get(key);
    if (cached && options.now - cached.at <= options.reuseRoutingForMs) return cached.routing;
    const routing = await qualifierRouting(this.deps.db, scope, name, qualifier);
    if (routing) this.routes.set(key, { at: options.now, routing });
    else this.routes.delete(key);
    return routing;
  }
}

/** Whether `version` is one a qualifier's routing may draw (its version or an alias's additional one). */
function routesTo(routing: QualifierRouting, version: string): boolean {
  return routing.version === version || (routing.weights !== undefined && Object.hasOwn(routing.weights, version));
}

/** A full function ARN (optionally qualified) as a reference; null when it names no account and region. */
export function functionRefOfArn(arn: string): FunctionRef | null {
  const parts = parseFunctionName(arn);
  if (!parts?.accountId || !parts.region) return null;
  return { scope: { accountId: parts.accountId, region: parts.region }, name: parts.name, qualifier: parts.qualifier };
}
