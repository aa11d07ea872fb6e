import { awsManagedPolicyArn } from '../managed-policies.js';
import { compact, isIntrinsic, isObject, type JsonObject } from '../template-model.js';
import { add, addManagedPolicy, addRolePolicy, fail, requireProperty, type EventContext } from './event-context.js';

/** Event source mapping properties SAM copies from a pull event as they are. */
const COPIED = [
  'StartingPosition', 'StartingPositionTimestamp', 'BatchSize', 'Enabled', 'MaximumBatchingWindowInSeconds',
  'MaximumRetryAttempts', 'BisectBatchOnFunctionError', 'MaximumRecordAgeInSeconds', 'ParallelizationFactor',
  'Topics', 'Queues', 'SourceAccessConfigurations', 'TumblingWindowInSeconds', 'FunctionResponseTypes',
  'FilterCriteria', 'KmsKeyArn', 'ScalingConfig', 'ProvisionedPollerConfig', 'MetricsConfig', 'LoggingConfig',
] as const;

const SOURCES = {
  SQS: { arnProperty: 'Queue', policy: 'service-role/AWSLambdaSQSQueueExecutionRole' },
  Kinesis: { arnProperty: 'Stream', policy: 'service-role/AWSLambdaKinesisExecutionRole' },
  DynamoDB: { arnProperty: 'Stream', policy: 'service-role/AWSLambdaDynamoDBExecutionRole' },
} as const;

export type PullSourceType = keyof typeof SOURCES;

/** The role policy a mapping's OnFailure destination needs (named after the event). */
function onFailurePolicy(logicalId: string, type: string, arn: unknown): JsonObject | undefined {
  const statement = (Action: string, Resource: unknown): JsonObject => ({ Action, Effect: 'Allow', Resource });
  if (type === 'SQS') return { PolicyName: `${logicalId}SQSPolicy`, PolicyDocument: { Statement: [statement('sqs:SendMessage', arn)] } };
  if (type === 'SNS') return { PolicyName: `${logicalId}SNSPolicy`, PolicyDocument: { Statement: [statement('sns:publish', arn)] } };
  if (type === 'S3') {
    return {
      PolicyName: `${logicalId}S3Policy`,
      PolicyDocument: { Statement: [statement('s3:PutObject', { 'Fn::Join': ['/', [arn, '*']] }), statement('s3:ListBucket', arn)] },
    };
  }
  return undefined;
}

/** SQS, Kinesis and DynamoDB events: an event source mapping named after the event, and the managed policy to poll. */
export function expandPullEvent(event: EventContext, type: PullSourceType): void {
  const source = SOURCES[type];
  const eventSourceArn = requireProperty(event, source.arnProperty);
  if (type !== 'SQS') requireProperty(event, 'StartingPosition');
  const properties = event.properties;
  const mapping: JsonObject = { FunctionName: event.target.functionName, EventSourceArn: eventSourceArn };
  for (const name of COPIED) if (properties[name] !== undefined) mapping[name] = properties[name];
  const filter = properties.FilterCriteria;
  if (isObject(filter) && !isIntrinsic(filter)) {
    const keys = Object.keys(filter);
    if (!(keys.length === 0 || (keys.length === 1 && keys[0] === 'Filters'))) fail(event, 'FilterCriteria field has a wrong format');
  }
  let destinationPolicy: JsonObject | undefined;
  if (properties.DestinationConfig !== undefined) {
    const config = structuredClone(properties.DestinationConfig) as JsonObject;
    const onFailure = config.OnFailure;
    if (!isObject(onFailure)) fail(event, "Property 'DestinationConfig.OnFailure' should be a map.");
    const destinationType = onFailure.Type;
    if (destinationType) {
      delete onFailure.Type;
      if (!['SQS', 'SNS', 'S3', 'Kafka'].includes(String(destinationType))) {
        fail(event, "The only valid values for 'Type' are 'SQS', 'SNS', 'S3', and 'Kafka'");
      }
      destinationPolicy = onFailurePolicy(event.logicalId, String(destinationType), onFailure.Destination);
    }
    mapping.DestinationConfig = config;
  }
  add(event, event.logicalId, { Type: 'AWS::Lambda::EventSourceMapping', Properties: compact(mapping), ...event.inherited });
  addManagedPolicy(event, awsManagedPolicyArn(event.partition, source.policy));
  if (destinationPolicy) addRolePolicy(event, destinationPolicy);
}
