import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { callJsonApi } from './json-api.js';

/**
 * SDK clients over loopback to this server, signed with a session of the stack's account: every
 * property a template sets goes through the same validation as a direct API call.
 */
export class AwsClients {
  private readonly made = new Map<string, unknown>();

  constructor(
    /** The server's own URL, which the local forms of endpoint attributes (WebsiteURL) are built on. */
    readonly endpoint: string,
    readonly region: string,
    private readonly credentials: AwsCredentialIdentityProvider,
  ) {}

  private get<T>(name: string, make: (config: { endpoint: string; region: string; credentials: AwsCredentialIdentityProvider; maxAttempts: number }) => T): T {
    let c = this.made.get(name) as T | undefined;
    if (!c) {
      c = make({ endpoint: this.endpoint, region: this.region, credentials: this.credentials, maxAttempts: 3 });
      this.made.set(name, c);
    }
    return c;
  }

  get lambda(): LambdaClient { return this.get('lambda', (c) => new LambdaClient(c)); }
  get s3(): S3Client { return this.get('s3', (c) => new S3Client({ ...c, forcePathStyle: true })); }
  get sqs(): SQSClient { return this.get('sqs', (c) => new SQSClient(c)); }
  get sns(): SNSClient { return this.get('sns', (c) => new SNSClient(c)); }
  get events(): EventBridgeClient { return this.get('events', (c) => new EventBridgeClient(c)); }
  get iam(): IAMClient { return this.get('iam', (c) => new IAMClient(c)); }
  get dynamodb(): DynamoDBClient { return this.get('dynamodb', (c) => new DynamoDBClient(c)); }
  get kinesis(): KinesisClient { return this.get('kinesis', (c) => new KinesisClient(c)); }
  get logs(): CloudWatchLogsClient { return this.get('logs', (c) => new CloudWatchLogsClient(c)); }
  get cloudwatch(): CloudWatchClient { return this.get('cloudwatch', (c) => new CloudWatchClient(c)); }
  get apigateway(): APIGatewayClient { return this.get('apigateway', (c) => new APIGatewayClient(c)); }
  get apigatewayv2(): ApiGatewayV2Client { return this.get('apigatewayv2', (c) => new ApiGatewayV2Client(c)); }
  get ssm(): SSMClient { return this.get('ssm', (c) => new SSMClient(c)); }
  get cloudformation(): CloudFormationClient { return this.get('cloudformation', (c) => new CloudFormationClient(c)); }
  get elbv2(): ElasticLoadBalancingV2Client { return this.get('elbv2', (c) => new ElasticLoadBalancingV2Client(c)); }

  /** A signed AWS JSON 1.1 call to an API without an SDK client here (ECR). */
  json(service: string, target: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return callJsonApi(this.endpoint, this.region, this.credentials, service, target, input);
  }

  destroy(): void {
    for (const c of this.made.values()) (c as { destroy(): void }).destroy();
    this.made.clear();
  }
}
