import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { LOG_TAIL_BYTES } from '../../../engine/limits.js';
import type { ResolvedInvocation } from '../function-invoker.js';
import type { LambdaDeps } from '../deps.js';
import { errors } from '../errors.js';
import { FORWARDED_VERSION_HEADER } from '../invoke-forwarding.js';
import {
  INVOKE_ASYNC_LEGACY_MAX_PAYLOAD_BYTES,
  INVOKE_ASYNC_MAX_PAYLOAD_BYTES,
  INVOKE_CLIENT_CONTEXT_MAX_BYTES,
  INVOKE_SYNC_PAYLOAD_MAX_BYTES,
} from '../limits.js';
import { scopeOf } from '../request.js';
import { resolveFunctionRef } from '../arns.js';
import { ConstraintCheck } from '../validation.js';

const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'] as const;
const LOG_TYPES = ['None', 'Tail'] as const;

export function invokeRoutes(deps: LambdaDeps): RestJsonRoute[] {
  return [
    { operation: 'Invoke', method: 'POST', path: '/2015-03-31/functions/{FunctionName}/invocations', handler: (r) => invoke(deps, r) },
    { operation: 'InvokeAsync', method: 'POST', path: '/2014-11-13/functions/{FunctionName}/invoke-async', handler: (r) => invokeAsync(deps, r) },
  ];
}

async function invoke(deps: LambdaDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (invocationType === 'Event' && deps.asyncInvoker) {
    new ConstraintCheck().oneOf(header(req, 'x-amz-log-type') ?? 'None', 'logType', LOG_TYPES).throwIfFailed();
    return invokeEvent(deps, req, INVOKE_ASYNC_MAX_PAYLOAD_BYTES, 'InvokeFunction', emptyResponse(202));
  }
  if (req.body.length > INVOKE_SYNC_PAYLOAD_MAX_BYTES) throw errors.requestTooLarge(INVOKE_SYNC_PAYLOAD_MAX_BYTES, 'InvokeFunction');
  const logType = header(req, 'x-amz-log-type') ?? 'None';
  new ConstraintCheck().oneOf(invocationType, 'invocationType', INVOCATION_TYPES).oneOf(logType, 'logType', LOG_TYPES).throwIfFailed();

  // Another node forwarded it here with the version it drew: that one runs (see invoke-forwarding.ts).
  const drawn = req.relayedByNode ? header(req, FORWARDED_VERSION_HEADER) : undefined;
  const invocation = await resolveInvocation(deps, req, 'InvokeFunction', undefined, drawn);
  const payload = eventPayload(req.body);
  if (invocationType === 'DryRun') return emptyResponse(204);
  if (invocationType === 'Event') throw errors.asyncInvokeUnavailable();
  if (!deps.engine) throw errors.internal();
  // Cluster only (a single node has no forwarding); a forwarded invoke is never forwarded again.
  if (deps.invokeForwarding && !req.relayedByNode) {
    const answer = await deps.invokeForwarding.forward(invocation, req);
    if (answer) return answer;
  }

  const outcome = await deps.invoker.invoke(invocation, payload, {
    requestId: req.requestId,
    traceId: traceHeader(req),
    clientContext: clientContext(req),
    awaitLog: logType === 'Tail',
  });
  if (outcome.kind === 'throttled') throw errors.invocationThrottled(outcome.reason);
  const { result } = outcome;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'X-Amz-Executed-Version': invocation.version };
  if (result.functionError) headers['X-Amz-Function-Error'] = 'Unhandled';
  if (logType === 'Tail') headers['X-Amz-Log-Result'] = logTail(result.log);
  return { status: 200, headers, body: result.payload };
}

/** The deprecated `InvokeAsync`: 256 KB, and AWS answers `{"Status":202}`. */
async function invokeAsync(deps: LambdaDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  if (!deps.asyncInvoker) throw errors.asyncInvokeUnavailable();
  return invokeEvent(deps, req, INVOKE_ASYNC_LEGACY_MAX_PAYLOAD_BYTES, 'InvokeAsync', jsonResponse(202, { Status: 202 }));
}

/**
 * `Event`: 202 once the event is committed to the durable queue. The qualifier is kept as named
 * (an alias is resolved at each attempt); the request id is the one every attempt runs with.
 */
async function invokeEvent(deps: LambdaDeps, req: RestJsonRequest, maxBytes: number, operation: string, accepted: ServiceResponse): Promise<ServiceResponse> {
  if (req.body.length > maxBytes) throw errors.requestTooLarge(maxBytes, operation);
  // InvokeAsync has no Qualifier parameter: only a qualified name qualifies it.
  const { ref } = await resolveInvocation(deps, req, operation === 'InvokeAsync' ? 'InvokeAsync' : 'InvokeFunction', operation === 'InvokeAsync' ? null : undefined);
  const payload = eventPayload(req.body);
  await deps.asyncInvoker!.store({
    accountId: ref.scope.accountId,
    region: ref.scope.region,
    functionName: ref.name,
    qualifier: ref.qualifier,
    requestId: req.requestId,
    traceId: traceHeader(req),
    payload,
  });
  return accepted;
}

/**
 * The function one synchronous invocation runs, through the `FunctionInvoker` every caller uses;
 * AWS's errors for a missing function or qualifier and for a function that cannot run yet.
 */
export async function resolveInvocation(deps: LambdaDeps, req: RestJsonRequest, action: string, qualifierParam?: string | null, drawn?: string): Promise<ResolvedInvocation> {
  const scope = scopeOf(req);
  const { name, qualifier } = resolveFunctionRef(req.params.FunctionName ?? '', qualifierParam === undefined ? req.query.get('Qualifier') : qualifierParam, scope, action);
  const resolution = await deps.invoker.resolve({ scope, name, qualifier }, drawn === undefined ? undefined : { drawn });
  if (resolution.kind !== 'resolved') throw errors.functionNotFound(resolution.arn);
  const { invocation } = resolution;
  if (!invocation.runnable) throw errors.functionNotActive(invocation.state ?? '');
  return invocation;
}

/** Shared: a non-streaming decode starts afresh each call, and building one costs more than the decode of a small payload. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Any JSON value; an empty body is the empty object, as the CLI's payload-less invoke shows. */
export function eventPayload(body: Buffer): Buffer {
  if (body.length === 0) return Buffer.from('{}');
  try {
    JSON.parse(STRICT_UTF8.decode(body));
  } catch (err) {
    throw errors.invalidJson(err instanceof Error ? err.message : String(err));
  }
  return body;
}

export function clientContext(req: RestJsonRequest): string | undefined {
  const encoded = header(req, 'x-amz-client-context');
  if (!encoded) return undefined;
  if (encoded.length > INVOKE_CLIENT_CONTEXT_MAX_BYTES) throw errors.clientContextTooLarge(INVOKE_CLIENT_CONTEXT_MAX_BYTES);
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  try {
    JSON.parse(decoded);
  } catch {
    throw errors.invalidClientContext();
  }
  return decoded;
}

export function traceHeader(req: RestJsonRequest): string | undefined {
  const value = header(req, 'x-amzn-trace-id');
  return value && value.includes('Root=') ? value : undefined;
}

/** Base64 of the last 4 KB of the invocation's log, cut on bytes as AWS does. */
export function logTail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
}

export function header(req: RestJsonRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
