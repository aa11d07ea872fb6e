import { InvalidResourceError } from './errors.js';
import { isIntrinsicIf, isNoValue, isObject, type JsonObject } from './template-model.js';

/**
 * The SAM policy templates Lambkin supports: the ones Lambda templates use most. Each is written
 * out here from AWS's published definitions (samtranslator's policy_templates.json); a template
 * name not listed is an unknown policy, as samtranslator treats any name it lacks.
 */
interface PolicyTemplate {
  parameter: string;
  statements: (value: unknown) => JsonObject[];
}

/** `Fn::Sub` of an ARN pattern with one variable bound to the template parameter's value. */
function arn(pattern: string, variable: string, value: unknown): JsonObject {
  return { 'Fn::Sub': [pattern, { [variable]: value }] };
}

const REGIONAL = 'arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:';
const regional = (service: string, rest: string): string => REGIONAL.replace('%s', service) + rest;

const tableResources = (value: unknown): JsonObject[] => [
  arn(regional('dynamodb', 'table/${tableName}'), 'tableName', value),
  arn(regional('dynamodb', 'table/${tableName}/index/*'), 'tableName', value),
];
const bucketResources = (value: unknown): JsonObject[] => [
  arn('arn:${AWS::Partition}:s3:::${bucketName}', 'bucketName', value),
  arn('arn:${AWS::Partition}:s3:::${bucketName}/*', 'bucketName', value),
];
const allow = (Action: string[], Resource: unknown): JsonObject => ({ Action, Effect: 'Allow', Resource });

const TEMPLATES: Readonly<Record<string, PolicyTemplate>> = {
  SQSPollerPolicy: {
    parameter: 'QueueName',
    statements: (value) => [
      allow(
        ['sqs:ChangeMessageVisibility', 'sqs:ChangeMessageVisibilityBatch', 'sqs:DeleteMessage', 'sqs:DeleteMessageBatch', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
        arn(regional('sqs', '${queueName}'), 'queueName', value),
      ),
    ],
  },
  SQSSendMessagePolicy: {
    parameter: 'QueueName',
    statements: (value) => [allow(['sqs:SendMessage*'], arn(regional('sqs', '${queueName}'), 'queueName', value))],
  },
  DynamoDBCrudPolicy: {
    parameter: 'TableName',
    statements: (value) => [
      allow(
        ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:ConditionCheckItem'],
        tableResources(value),
      ),
    ],
  },
  DynamoDBReadPolicy: {
    parameter: 'TableName',
    statements: (value) => [
      allow(['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'], tableResources(value)),
    ],
  },
  S3ReadPolicy: {
    parameter: 'BucketName',
    statements: (value) => [
      allow(['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion', 's3:GetLifecycleConfiguration'], bucketResources(value)),
    ],
  },
  S3CrudPolicy: {
    parameter: 'BucketName',
    statements: (value) => [
      allow(
        ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration', 's3:DeleteObject'],
        bucketResources(value),
      ),
    ],
  },
  SNSPublishMessagePolicy: {
    parameter: 'TopicName',
    statements: (value) => [allow(['sns:Publish'], arn(regional('sns', '${topicName}'), 'topicName', value))],
  },
  KinesisStreamReadPolicy: {
    parameter: 'StreamName',
    statements: (value) => [
      allow(['kinesis:ListStreams', 'kinesis:DescribeLimits'], { 'Fn::Sub': regional('kinesis', 'stream/*') }),
      allow(
        ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator'],
        arn(regional('kinesis', 'stream/${streamName}'), 'streamName', value),
      ),
    ],
  },
  LambdaInvokePolicy: {
    parameter: 'FunctionName',
    statements: (value) => [allow(['lambda:InvokeFunction'], arn(regional('lambda', 'function:${functionName}*'), 'functionName', value))],
  },
};

export const SUPPORTED_POLICY_TEMPLATES: readonly string[] = Object.keys(TEMPLATES);

function templateName(policy: unknown): string | undefined {
  if (!isObject(policy)) return undefined;
  const keys = Object.keys(policy);
  return keys.length === 1 && Object.hasOwn(TEMPLATES, keys[0]!) ? keys[0] : undefined;
}

/** `{ TemplateName: { Param: value } }`, or an Fn::If whose branches are such (or AWS::NoValue). */
export function isPolicyTemplate(policy: unknown): boolean {
  if (isIntrinsicIf(policy)) {
    const [, whenTrue, whenFalse] = policy['Fn::If'];
    return [whenTrue, whenFalse].some((branch) => !isNoValue(branch) && templateName(branch) !== undefined);
  }
  return templateName(policy) !== undefined;
}

/** One policy template entry as the IAM policy document it stands for. */
export function expandPolicyTemplate(logicalId: string, policy: JsonObject, _partition: string): JsonObject {
  const name = templateName(policy);
  if (name === undefined) throw new InvalidResourceError(logicalId, 'Policy template is not valid');
  const template = TEMPLATES[name]!;
  const values = policy[name];
  if (!isObject(values)) {
    throw new InvalidResourceError(logicalId, `Must specify valid parameter values for policy template '${name}'`);
  }
  if (!(template.parameter in values)) {
    throw new InvalidResourceError(
      logicalId,
      `Following required parameters of template '${name}' don't have values: ['${template.parameter}']`,
    );
  }
  return { Statement: template.statements(structuredClone(values[template.parameter])) };
}
