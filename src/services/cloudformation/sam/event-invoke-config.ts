import { InvalidResourceError } from './errors.js';
import { ownAttributes } from './resource-attributes.js';
import { compact, getAtt, isIntrinsicIf, isObject, ref, type CfnResource, type JsonObject } from './template-model.js';
import type { FunctionCore } from './function.js';
import type { ExpansionScope } from './expansion-scope.js';
import type { PublishedAlias } from './version-alias.js';
import { resolveParameterRefs } from './parameter-values.js';

const DESTINATION_TYPES = ['SQS', 'SNS', 'EventBridge', 'Lambda', 'S3Bucket'];

/** The policy SAM adds to the execution role so the function may deliver to a destination. */
function destinationPolicy(type: string, arn: unknown, prefix: string): JsonObject {
  const statement = (Action: string, Resource: unknown): JsonObject => ({ Action, Effect: 'Allow', Resource });
  switch (type) {
    case 'SQS':
      return { PolicyName: `${prefix}SQSPolicy`, PolicyDocument: { Statement: [statement('sqs:SendMessage', arn)] } };
    case 'SNS':
      return { PolicyName: `${prefix}SNSPolicy`, PolicyDocument: { Statement: [statement('sns:publish', arn)] } };
    case 'EventBridge':
      return { PolicyName: `${prefix}EventBridgePolicy`, PolicyDocument: { Statement: [statement('events:PutEvents', arn)] } };
    case 'Lambda':
      return { PolicyName: `${prefix}LambdaPolicy`, PolicyDocument: { Statement: [statement('lambda:InvokeFunction', arn)] } };
    default:
      return {
        PolicyName: `${prefix}S3Policy`,
        PolicyDocument: { Statement: [statement('s3:PutObject', { 'Fn::Join': ['/', [arn, '*']] }), statement('s3:ListBucket', arn)] },
      };
  }
}

/**
 * EventInvokeConfig → `<Id>EventInvokeConfig` (on the alias, or $LATEST), creating the SQS queue
 * or SNS topic a destination without an ARN asks for. Returns the role policies the destinations need.
 */
export function expandEventInvokeConfig(
  scope: ExpansionScope,
  core: FunctionCore,
  alias: PublishedAlias | undefined,
  resource: CfnResource,
  parameters: Record<string, unknown>,
): JsonObject[] {
  const raw = core.properties.EventInvokeConfig;
  if (!raw) return [];
  const { logicalId } = core;
  const config = resolveParameterRefs(raw, parameters) as JsonObject;
  const configId = `${logicalId}EventInvokeConfig`;
  const policies: JsonObject[] = [];
  const destinations: JsonObject = {};
  const input = config.DestinationConfig;
  if (input !== undefined) {
    if (!isObject(input)) throw new InvalidResourceError(logicalId, "Property 'EventInvokeConfig.DestinationConfig' should be a map.");
    for (const which of ['OnSuccess', 'OnFailure'] as const) {
      const destination = input[which];
      if (destination === undefined || destination === null) continue;
      if (!isObject(destination)) throw new InvalidResourceError(logicalId, `Property 'EventInvokeConfig.DestinationConfig.${which}' should be a map.`);
      const type = destination.Type;
      if (typeof type !== 'string' || !DESTINATION_TYPES.includes(type)) {
        throw new InvalidResourceError(logicalId, `'Type: ${type === undefined ? 'None' : String(type)}' must be one of ['SQS', 'SNS', 'EventBridge', 'Lambda', 'S3Bucket']`);
      }
      if (isIntrinsicIf(destination.Destination)) {
        throw new InvalidResourceError(logicalId, "Lambkin's SAM transform does not support Fn::If in an EventInvokeConfig Destination.");
      }
      const prefix = `${configId}${which}`;
      let arn = destination.Destination;
      if (arn === undefined || arn === null) {
        if (type !== 'SQS' && type !== 'SNS') throw new InvalidResourceError(logicalId, "Destination is required if Type is not ['SQS', 'SNS']");
        const createdId = type === 'SQS' ? `${prefix}Queue` : `${prefix}Topic`;
        scope.add(logicalId, createdId, { Type: type === 'SQS' ? 'AWS::SQS::Queue' : 'AWS::SNS::Topic', Properties: {}, ...core.inherited });
        arn = type === 'SQS' ? getAtt(createdId, 'Arn') : ref(createdId);
      }
      destinations[which] = { Destination: arn };
      policies.push(destinationPolicy(type, arn, prefix));
    }
  }
  const attributes = ownAttributes(resource);
  delete attributes.DependsOn;
  scope.add(logicalId, configId, {
    Type: 'AWS::Lambda::EventInvokeConfig',
    Properties: compact({
      FunctionName: ref(logicalId),
      Qualifier: alias ? alias.name : '$LATEST',
      DestinationConfig: destinations,
      MaximumEventAgeInSeconds: config.MaximumEventAgeInSeconds,
      MaximumRetryAttempts: config.MaximumRetryAttempts,
    }),
    ...(alias ? { DependsOn: [alias.logicalId] } : {}),
    ...attributes,
  });
  return policies;
}
