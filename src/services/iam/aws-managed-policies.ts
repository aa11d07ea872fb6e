/**
 * The AWS-managed policies Lambda users attach, with their documents as AWS publishes them (AWS
 * Managed Policy Reference, default versions). Lambkin cannot change them, as AWS's cannot be.
 */
export interface AwsManagedPolicy {
  name: string;
  arn: string;
  path: string;
  /** The default version's id as AWS lists it. */
  version: string;
  description: string;
  document: object;
}

const EXECUTION_LOGS = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

const POLICIES: AwsManagedPolicy[] = [
  {
    name: 'AWSLambdaBasicExecutionRole', path: '/service-role/', version: 'v1',
    description: 'Provides write permissions to CloudWatch Logs.',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: EXECUTION_LOGS, Resource: '*' }] },
  },
  {
    name: 'AWSLambdaSQSQueueExecutionRole', path: '/service-role/', version: 'v1',
    description: 'Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...EXECUTION_LOGS], Resource: '*' }] },
  },
  {
    name: 'AWSLambdaKinesisExecutionRole', path: '/service-role/', version: 'v2',
    description: 'Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.',
    document: {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:ListStreams', 'kinesis:SubscribeToShard', ...EXECUTION_LOGS],
        Resource: '*',
      }],
    },
  },
  {
    name: 'AWSLambdaDynamoDBExecutionRole', path: '/service-role/', version: 'v1',
    description: 'Provides list and read access to DynamoDB streams and write permissions to CloudWatch logs.',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', ...EXECUTION_LOGS], Resource: '*' }] },
  },
  {
    name: 'AmazonS3ReadOnlyAccess', path: '/', version: 'v3',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: '*' }] },
  },
  {
    name: 'AmazonS3FullAccess', path: '/', version: 'v2',
    description: 'Provides full access to all buckets via the AWS Management Console.',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }] },
  },
  {
    // The first statement of AWS's v15 document up to its EC2/IAM/SNS/Lambda actions, which grant
    // nothing Lambkin's DynamoDB needs (the rest of the document was not reproduced here).
    name: 'AmazonDynamoDBFullAccess', path: '/', version: 'v15',
    description: 'Provides full access to Amazon DynamoDB via the AWS Management Console.',
    document: {
      Version: '2012-10-17',
      Statement: [{
        Action: [
          'dynamodb:*', 'dax:*', 'application-autoscaling:DeleteScalingPolicy', 'application-autoscaling:DeregisterScalableTarget',
          'application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingActivities', 'application-autoscaling:DescribeScalingPolicies',
          'application-autoscaling:PutScalingPolicy', 'application-autoscaling:RegisterScalableTarget', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarmHistory',
          'cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmsForMetric', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics', 'cloudwatch:PutMetricAlarm',
          'cloudwatch:GetMetricData', 'datapipeline:ActivatePipeline', 'datapipeline:CreatePipeline', 'datapipeline:DeletePipeline', 'datapipeline:DescribeObjects',
          'datapipeline:DescribePipelines', 'datapipeline:GetPipelineDefinition', 'datapipeline:ListPipelines', 'datapipeline:PutPipelineDefinition',
          'datapipeline:QueryObjects', 'ec2:DescribeVpcs',
        ],
        Effect: 'Allow',
        Resource: '*',
      }],
    },
  },
  {
    name: 'AmazonSQSFullAccess', path: '/', version: 'v3',
    description: 'Provides full access to Amazon SQS via the AWS Management Console.',
    document: { Version: '2012-10-17', Statement: [{ Sid: 'SQSFullAccess', Effect: 'Allow', Action: ['sqs:*'], Resource: '*' }] },
  },
  {
    name: 'AmazonSNSFullAccess', path: '/', version: 'v2',
    description: 'Provides full access to Amazon SNS via the AWS Management Console.',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'SNSFullAccess', Effect: 'Allow', Action: 'sns:*', Resource: '*' },
        {
          Sid: 'SMSAccessViaSNS', Effect: 'Allow',
          Action: [
            'sms-voice:DescribeVerifiedDestinationNumbers', 'sms-voice:CreateVerifiedDestinationNumber', 'sms-voice:SendDestinationNumberVerificationCode',
            'sms-voice:SendTextMessage', 'sms-voice:DeleteVerifiedDestinationNumber', 'sms-voice:VerifyDestinationNumber', 'sms-voice:DescribeAccountAttributes',
            'sms-voice:DescribeSpendLimits', 'sms-voice:DescribePhoneNumbers', 'sms-voice:SetTextMessageSpendLimitOverride', 'sms-voice:DescribeOptedOutNumbers',
            'sms-voice:DeleteOptedOutNumber',
          ],
          Resource: '*',
          Condition: { StringEquals: { 'aws:CalledViaLast': 'sns.amazonaws.com' } },
        },
      ],
    },
  },
  {
    name: 'AWSLambda_FullAccess', path: '/', version: 'v2',
    description: 'Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'cloudformation:DescribeStacks', 'cloudformation:ListStackResources', 'cloudwatch:ListMetrics', 'cloudwatch:GetMetricData', 'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'kms:ListAliases', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole', 'iam:GetRolePolicy',
            'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:ListRoles', 'lambda:*', 'logs:DescribeLogGroups', 'states:DescribeStateMachine',
            'states:ListStateMachines', 'tag:GetResources', 'xray:GetTraceSummaries', 'xray:BatchGetTraces',
          ],
          Resource: '*',
        },
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } },
        {
          Effect: 'Allow',
          Action: ['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartLiveTail', 'logs:StopLiveTail'],
          Resource: 'arn:aws:logs:*:*:log-group:/aws/lambda/*',
        },
      ],
    },
  },
  {
    name: 'AWSCloudFormationReadOnlyAccess', path: '/', version: 'v3',
    description: 'Provides access to AWS CloudFormation via the AWS Management Console.',
    document: {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Action: ['cloudformation:Describe*', 'cloudformation:EstimateTemplateCost', 'cloudformation:Get*', 'cloudformation:List*', 'cloudformation:ValidateTemplate', 'cloudformation:Detect*'],
        Resource: '*',
      }],
    },
  },
  {
    // AWS's document lists the read actions of every service (thousands of entries, a new version
    // most months); this one grants the same kind of actions on the services Lambkin has. The CDK's
    // bootstrap stack attaches it to its lookup role.
    name: 'ReadOnlyAccess', path: '/', version: 'v1',
    description: 'Provides read-only access to AWS services and resources.',
    document: {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Action: ['apigateway', 'cloudformation', 'cloudwatch', 'dynamodb', 'ecr', 'elasticloadbalancing', 'events', 'iam', 'kinesis', 'lambda', 'logs', 's3', 'sns', 'sqs', 'ssm']
          .flatMap((service) => [`${service}:Describe*`, `${service}:Get*`, `${service}:List*`]),
        Resource: '*',
      }],
    },
  },
  {
    name: 'AdministratorAccess', path: '/', version: 'v1',
    description: 'Provides full access to AWS services and resources.',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
].map((p) => ({ ...p, arn: `arn:aws:iam::aws:policy${p.path}${p.name}` }));

const BY_ARN = new Map(POLICIES.map((p) => [p.arn, p]));

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return BY_ARN.get(arn);
}

export function awsManagedPolicies(): readonly AwsManagedPolicy[] {
  return POLICIES;
}

export function isAwsManagedArn(arn: string): boolean {
  return arn.startsWith('arn:aws:iam::aws:policy/');
}
