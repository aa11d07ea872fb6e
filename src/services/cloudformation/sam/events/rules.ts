import { compact, getAtt, ref, type CfnResource, type JsonObject } from '../template-model.js';
import { add, fail, permission, requireProperty, type EventContext } from './event-context.js';

const TARGET_ID_MAX_LENGTH = 64;
const TARGET_SUFFIX = 'LambdaTarget';

function targetId(logicalId: string): string {
  return logicalId.length + TARGET_SUFFIX.length <= TARGET_ID_MAX_LENGTH
    ? logicalId + TARGET_SUFFIX
    : logicalId.slice(0, TARGET_ID_MAX_LENGTH - TARGET_SUFFIX.length) + TARGET_SUFFIX;
}

function ruleState(event: EventContext): unknown {
  const { State: state, Enabled: enabled } = event.properties;
  if (state && enabled !== undefined) fail(event, 'State and Enabled Properties cannot both be specified.');
  if (enabled !== undefined) return enabled ? 'ENABLED' : 'DISABLED';
  return state || undefined;
}

/** A rule's DeadLetterConfig: an ARN as given, or (Type: SQS) a queue SAM creates with a policy letting the rule send to it. */
function deadLetterArn(event: EventContext, ruleArn: JsonObject): unknown {
  const config = event.properties.DeadLetterConfig as JsonObject | undefined;
  if (config === undefined) return undefined;
  if ('Arn' in config && 'Type' in config) fail(event, "You can either define 'Arn' or 'Type' property of DeadLetterConfig.");
  if ('Type' in config && config.Type !== 'SQS') fail(event, "The only valid value for 'Type' property of DeadLetterConfig is 'SQS'.");
  if (!('Arn' in config) && !('Type' in config)) fail(event, "No 'Arn' or 'Type' property provided for DeadLetterConfig.");
  if (config.Arn !== undefined) return config.Arn;
  const queueId = typeof config.QueueLogicalId === 'string' ? config.QueueLogicalId : `${event.logicalId}Queue`;
  const queueArn = getAtt(queueId, 'Arn');
  add(event, queueId, { Type: 'AWS::SQS::Queue', Properties: {}, ...event.inherited });
  add(event, `${event.logicalId}QueuePolicy`, {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'sqs:SendMessage', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } }],
      },
      Queues: [ref(queueId)],
    },
    ...event.inherited,
  });
  return queueArn;
}

function target(event: EventContext, id: unknown, dlqArn: unknown, keys: readonly string[]): JsonObject {
  const p = event.properties;
  const out: JsonObject = { Arn: event.target.arn, Id: id };
  for (const key of keys) if (p[key] !== undefined) out[key] = p[key];
  if (p.DeadLetterConfig !== undefined) out.DeadLetterConfig = { Arn: dlqArn };
  if (p.RetryPolicy !== undefined) out.RetryPolicy = p.RetryPolicy;
  if (keys.includes('InputPath') && p.InputTransformer !== undefined) out.InputTransformer = p.InputTransformer;
  return out;
}

/** Schedule events: an EventBridge rule on the schedule expression, and a permission for events.amazonaws.com. */
export function expandScheduleEvent(event: EventContext, expression: unknown, extra: JsonObject = {}): void {
  const ruleArn = getAtt(event.logicalId, 'Arn');
  const state = ruleState(event);
  const dlqArn = deadLetterArn(event, ruleArn);
  const rule: CfnResource = {
    Type: 'AWS::Events::Rule',
    Properties: compact({
      ScheduleExpression: expression,
      State: state,
      Name: event.properties.Name,
      Description: event.properties.Description,
      Targets: [target(event, targetId(event.logicalId), dlqArn, ['Input'])],
      ...extra,
    }),
    ...event.inherited,
  };
  add(event, event.logicalId, rule);
  const [id, resource] = permission(event, 'events.amazonaws.com', { SourceArn: ruleArn });
  add(event, id, resource);
}

/**
 * ScheduleV2 events. samtranslator writes an AWS::Scheduler::Schedule with its own role; Lambkin
 * has no EventBridge Scheduler, so the schedule becomes an EventBridge rule (same expression, the
 * function as target, a permission), which fires the function the same way.
 */
export function expandScheduleV2Event(event: EventContext): void {
  const expression = requireProperty(event, 'ScheduleExpression');
  const p = event.properties;
  const translated: EventContext = {
    ...event,
    properties: compact({
      Input: p.Input,
      Name: p.Name,
      Description: p.Description,
      State: p.State,
      DeadLetterConfig: p.DeadLetterConfig,
      RetryPolicy: p.RetryPolicy,
    }),
  };
  expandScheduleEvent(translated, expression);
}

/** CloudWatchEvent / EventBridgeRule events: a rule on the pattern (and bus), and a permission. */
export function expandRuleEvent(event: EventContext): void {
  const p = event.properties;
  const ruleArn = getAtt(event.logicalId, 'Arn');
  const dlqArn = deadLetterArn(event, ruleArn);
  const state = ruleState(event);
  const targetSettings = p.Target as JsonObject | undefined;
  const id = targetSettings && 'Id' in targetSettings ? targetSettings.Id : targetId(event.logicalId);
  add(event, event.logicalId, {
    Type: 'AWS::Events::Rule',
    Properties: compact({
      EventBusName: p.EventBusName,
      EventPattern: p.Pattern,
      Name: p.RuleName,
      State: state,
      Targets: [target(event, id, dlqArn, ['Input', 'InputPath'])],
    }),
    ...event.inherited,
  });
  const [permissionId, resource] = permission(event, 'events.amazonaws.com', { SourceArn: ruleArn });
  add(event, permissionId, resource);
}

export function expandScheduleV1Event(event: EventContext): void {
  expandScheduleEvent(event, requireProperty(event, 'Schedule'));
}
