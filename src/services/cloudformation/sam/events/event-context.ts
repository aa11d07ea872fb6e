import { invalidEvent } from '../errors.js';
import { compact, type CfnResource, type JsonObject } from '../template-model.js';
import type { ExpansionScope } from '../expansion-scope.js';

/** What an event source needs to know about the function it triggers. */
export interface EventContext {
  scope: ExpansionScope;
  functionId: string;
  eventId: string;
  /** `<FunctionId><EventId>`: the logical id of the event's main resource and the prefix of the rest. */
  logicalId: string;
  properties: JsonObject;
  /** What triggers name: the alias when AutoPublishAlias is set, else the function. */
  target: { functionName: JsonObject; arn: JsonObject };
  /** Condition/DeletionPolicy/UpdateReplacePolicy of the function, carried by every generated resource. */
  inherited: JsonObject;
  /** The generated execution role, when SAM made one (events add the policies they need to it). */
  role?: CfnResource;
  partition: string;
}

export function fail(event: EventContext, reason: string): never {
  throw invalidEvent(event.functionId, event.eventId, reason);
}

export function requireProperty(event: EventContext, name: string): unknown {
  const value = event.properties[name];
  if (value === undefined || value === null) fail(event, `Missing required property '${name}'.`);
  return value;
}

/** A Lambda permission for `principal`, named `<EventLogicalId>Permission`. */
export function permission(event: EventContext, principal: string, extra: JsonObject, logicalId = `${event.logicalId}Permission`): [string, CfnResource] {
  return [
    logicalId,
    {
      Type: 'AWS::Lambda::Permission',
      Properties: compact({ Action: 'lambda:InvokeFunction', FunctionName: event.target.functionName, Principal: principal, ...extra }),
      ...event.inherited,
    },
  ];
}

/** Adds an AWS managed policy to the generated role once. */
export function addManagedPolicy(event: EventContext, arn: string): void {
  const properties = event.role?.Properties;
  if (!properties) return;
  const list = (properties.ManagedPolicyArns ??= []) as unknown[];
  if (!list.includes(arn)) list.push(arn);
}

/** Adds an inline policy to the generated role unless one with the same document is there. */
export function addRolePolicy(event: EventContext, policy: JsonObject): void {
  const properties = event.role?.Properties;
  if (!properties) return;
  const list = (properties.Policies ??= []) as JsonObject[];
  const document = JSON.stringify(policy.PolicyDocument);
  if (!list.some((existing) => JSON.stringify(existing.PolicyDocument) === document)) list.push(policy);
}

export function add(event: EventContext, logicalId: string, resource: CfnResource): void {
  event.scope.add(event.functionId, logicalId, resource);
}
