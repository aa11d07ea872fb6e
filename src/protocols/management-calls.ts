import { cloudTrailKeys, type ManagementCall } from '../contracts/management-events.js';
import type { RequestContext, ServiceResponse } from '../contracts/request-context.js';
import { jsonRpcTarget } from './json-rpc.js';
import { QueryParams, treeList, type QueryTree } from './query.js';

/**
 * The CloudTrail management event of an awsJson or query-protocol call, for services whose
 * CloudTrail names are their operation names. Each service says which of its operations are
 * management writes: reads are not sent to EventBridge, and data events (SendMessage, PutItem,
 * PutRecord, Publish, PutEvents …) reach it only through a trail, as on AWS.
 */
export interface ManagementCallSpec {
  /** `sqs.amazonaws.com`, `dynamodb.amazonaws.com` … */
  eventSource: string;
  isManagementWrite(operation: string): boolean;
  /** Top-level members, as sent or answered, whose values this service's events hide (SSM's parameter `Value`). */
  hiddenMembers?: readonly string[];
}

/** CloudTrail's stand-in for a sensitive value. */
export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
/** Members whose values CloudTrail never shows (secret keys, passwords, connection secrets). */
const SENSITIVE_MEMBER = /secret|password|apikeyvalue|privatekey/i;

function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SENSITIVE_MEMBER.test(k) && typeof v === 'string' ? HIDDEN : redacted(v)]));
}

/** `value` with the spec's hidden members (top level) replaced by CloudTrail's stand-in. */
export function hidden(spec: ManagementCallSpec, value: Record<string, unknown>): Record<string, unknown> {
  if (!spec.hiddenMembers) return value;
  const out = { ...value };
  for (const member of spec.hiddenMembers) if (typeof out[member] === 'string') out[member] = HIDDEN;
  return out;
}

/** A request's or answer's JSON object; null when empty, not JSON or not an object. */
export function jsonObject(body: Buffer | string | undefined): Record<string, unknown> | null {
  if (body === undefined || body.length === 0) return null;
  try {
    const parsed: unknown = JSON.parse(body.toString());
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.keys(parsed).length > 0 ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The event of `operation` once the service has read its request (and, where the protocol's answer
 * is JSON-like, its answer): both in CloudTrail's lowerCamelCase with secrets hidden; an empty
 * request or answer is null, as CloudTrail writes it. Null for an operation that is no management write.
 */
export function managementCallOf(spec: ManagementCallSpec, operation: string, input: Record<string, unknown> | null, output: Record<string, unknown> | null = null): ManagementCall | null {
  if (!operation || !spec.isManagementWrite(operation)) return null;
  const shown = (value: Record<string, unknown> | null) => (value && Object.keys(value).length > 0 ? (cloudTrailKeys(redacted(hidden(spec, value))) as Record<string, unknown>) : null);
  return { eventSource: spec.eventSource, eventName: operation, requestParameters: shown(input), responseElements: shown(output) };
}

/**
 * An awsJson call: the `X-Amz-Target` operation, the request and the answer in CloudTrail's
 * lowerCamelCase. `request` reads the input when the body is not JSON (CBOR); asked only for writes.
 */
export function jsonManagementCall(spec: ManagementCallSpec, ctx: RequestContext, response: ServiceResponse, request?: () => Record<string, unknown>): ManagementCall | null {
  const { operation } = jsonRpcTarget(ctx.headers);
  if (!operation || !spec.isManagementWrite(operation)) return null;
  return managementCallOf(spec, operation, request ? request() : jsonObject(ctx.body), response.stream ? null : jsonObject(response.body));
}

/**
 * A query-protocol call: `Action`, and the parameters as the structure they encode (`Tags.member.1.Key`
 * → `tags: [{key}]`, `Attributes.entry.1.key` → `attributes: {…}`), as CloudTrail records them. The
 * answer is XML, which CloudTrail would show as JSON: left out.
 */
export function queryManagementCall(spec: ManagementCallSpec, ctx: RequestContext): ManagementCall | null {
  const params = QueryParams.fromRequest(ctx, { formBodyOnly: true });
  const action = params.action;
  if (!action || !spec.isManagementWrite(action)) return null;
  const tree = params.tree();
  delete tree.Action;
  delete tree.Version;
  return managementCallOf(spec, action, queryStructure(tree) as Record<string, unknown>);
}

/** A query tree as the structure it encodes: `member` and numbered lists as arrays, `entry` maps as objects. */
function queryStructure(node: string | QueryTree): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member') return treeList(node.member).map(queryStructure);
  if (keys.length === 1 && keys[0] === 'entry') {
    const entries = treeList<QueryTree | string>(node.entry).filter((e): e is QueryTree => typeof e === 'object' && typeof e.key === 'string');
    return Object.fromEntries(entries.map((e) => [e.key as string, e.value === undefined ? '' : queryStructure(e.value)]));
  }
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) return treeList(node).map(queryStructure);
  return Object.fromEntries(keys.map((k) => [k, queryStructure(node[k] as string | QueryTree)]));
}

/** Writes named by their verb, less the data events the service lists. */
export function writesByVerb(verbs: RegExp, dataEvents: readonly string[] = []): (operation: string) => boolean {
  return (operation) => verbs.test(operation) && !dataEvents.includes(operation);
}
