import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateConnectionCommand, CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { CreateStreamCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeliverySinks } from '../src/contracts/delivery-sinks.js';
import { createTable, dynamodbClient } from './support/dynamodb.js';
import { kinesisClient } from './support/kinesis.js';
import { recorderArn, RecordingSink } from './support/recording-sink.js';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient, sqsQuery } from './support/sqs.js';
import { CloudWatchClient, DeleteAlarmsCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, PutLogEventsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { APIGatewayClient, CreateApiKeyCommand, CreateRestApiCommand, DeleteRestApiCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, DeleteApiCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateStackCommand, DeleteStackCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { CreateLoadBalancerCommand, CreateTargetGroupCommand, DeleteLoadBalancerCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { cloudFormationClient } from './support/cloudformation.js';
import { ecrCall, registryPassword } from './support/ecr.js';
import { basicAuth, buildImage, pushImage, tarArchive } from './support/oci-image.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
type Detail = { eventSource: string; eventName: string; awsRegion?: string; userIdentity: { type: string }; requestParameters: Record<string, any> | null; responseElements: Record<string, any> | null };

describe('"AWS API Call via CloudTrail" events for the services\' writes', () => {
  let server: TestServer;
  let eb: EventBridgeClient;
  const recorder = new RecordingSink();
  const TRAIL = recorderArn('trail');
  const CONTROL = recorderArn('control-planes');

  before(async () => {
    const sinks = new DeliverySinks();
    sinks.register(recorder);
    server = await startTestServer({}, { sinks });
    eb = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    await eb.send(new PutRuleCommand({
      Name: 'trail',
      EventPattern: JSON.stringify({ source: ['aws.sqs', 'aws.sns', 'aws.dynamodb', 'aws.iam', 'aws.events', 'aws.kinesis'], 'detail-type': ['AWS API Call via CloudTrail'] }),
    }));
    await eb.send(new PutTargetsCommand({ Rule: 'trail', Targets: [{ Id: 'r', Arn: TRAIL }] }));
    await eb.send(new PutRuleCommand({
      Name: 'control-planes',
      EventPattern: JSON.stringify({
        source: ['aws.monitoring', 'aws.logs', 'aws.ssm', 'aws.ecr', 'aws.apigateway', 'aws.cloudformation', 'aws.elasticloadbalancing'],
        'detail-type': ['AWS API Call via CloudTrail'],
      }),
    }));
    await eb.send(new PutTargetsCommand({ Rule: 'control-planes', Targets: [{ Id: 'r', Arn: CONTROL }] }));
  });
  after(async () => {
    eb.destroy();
    await server.stop();
  });

  const details = () => recorder.for(TRAIL).map((m) => JSON.parse(m.body) as { source: string; 'detail-type': string; detail: Detail });
  const named = (name: string) => details().filter((e) => e.detail.eventName === name);
  const control = () => recorder.for(CONTROL).map((m) => JSON.parse(m.body) as { source: string; detail: Detail });
  const controlNamed = (source: string, name: string) => control().filter((e) => e.detail.eventSource === source && e.detail.eventName === name);

  test('management writes make an event with the request and answer; data events, reads and failed calls make none; secrets are hidden', async () => {
    const sqs = sqsClient(server.url);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'audited', Attributes: { VisibilityTimeout: '40' } }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'data event' }));
    await assert.rejects(sqs.send(new DeleteQueueCommand({ QueueUrl: `${server.url}/000000000000/no-such-queue` })));
    // The query protocol (older SDKs) is recorded too.
    assert.equal((await sqsQuery(server.url, { Action: 'CreateQueue', QueueName: 'audited-query' })).status, 200);

    const sns = new SNSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'audited' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'data event' }));

    const ddb = dynamodbClient(server.url);
    await createTable(ddb, 'audited');
    await ddb.send(new PutItemCommand({ TableName: 'audited', Item: { id: { S: 'x' } } }));

    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: 'audited' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'audited' }));
    await iam.send(new ListUsersCommand({}));

    await eb.send(new CreateEventBusCommand({ Name: 'audited' }));
    await eb.send(new CreateConnectionCommand({ Name: 'audited', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'very-secret' } } }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'data event', Detail: '{}' }] }));

    const kinesis = kinesisClient(server.url);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'audited', ShardCount: 1 }));
    for (let i = 0; i < 50; i++) {
      try {
        await kinesis.send(new PutRecordCommand({ StreamName: 'audited', PartitionKey: 'k', Data: Buffer.from('data event') }));
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const expected = ['CreateQueue', 'CreateTopic', 'CreateTable', 'CreateUser', 'CreateAccessKey', 'CreateEventBus', 'CreateConnection', 'CreateStream'];
    await recorder.waitFor(TRAIL, expected.length + 2, 10_000);
    for (const name of expected) assert.ok(named(name).length >= 1, `an event for ${name}`);
    for (const name of ['SendMessage', 'DeleteQueue', 'Publish', 'PutItem', 'ListUsers', 'PutEvents', 'PutRecord']) assert.deepEqual(named(name), [], `no event for ${name}`);

    const [queue, queryQueue] = named('CreateQueue');
    assert.equal(queue!.source, 'aws.sqs');
    assert.equal(queue!.detail.eventSource, 'sqs.amazonaws.com');
    // Map keys are lowerCamelCased like member names (AWS keeps them as sent).
    assert.deepEqual(queue!.detail.requestParameters, { queueName: 'audited', attributes: { visibilityTimeout: '40' } });
    assert.match(queue!.detail.responseElements!.queueUrl, /\/audited$/);
    assert.deepEqual(queryQueue!.detail.requestParameters, { queueName: 'audited-query' });
    assert.equal(named('CreateTopic')[0]!.detail.requestParameters!.name, 'audited');
    assert.equal(named('CreateTable')[0]!.source, 'aws.dynamodb');
    assert.equal(named('CreateTable')[0]!.detail.requestParameters!.tableName, 'audited');
    assert.equal(named('CreateUser')[0]!.detail.eventSource, 'iam.amazonaws.com');
    assert.equal(named('CreateStream')[0]!.detail.requestParameters!.streamName, 'audited');
    const connection = named('CreateConnection')[0]!.detail;
    assert.equal(connection.requestParameters!.authParameters.apiKeyAuthParameters.apiKeyValue, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.ok(!JSON.stringify(details()).includes('very-secret'));
    sqs.destroy();
    sns.destroy();
    ddb.destroy();
    iam.destroy();
    kinesis.destroy();
  });
  test('CloudWatch, Logs, SSM, ECR, API Gateway, CloudFormation and ELBv2 writes make their events; reads and data calls none', async () => {
    const config = { endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 };
    const cw = new CloudWatchClient(config);
    const alarm = { AlarmName: 'audited', Namespace: 'Audit', MetricName: 'Orders', Statistic: 'Sum' as const, Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' as const };
    await cw.send(new PutMetricAlarmCommand(alarm));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'audited', StateValue: 'ALARM', StateReason: 'test' }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'Audit', MetricData: [{ MetricName: 'Orders', Value: 1 }] }));
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['audited'] }));

    const logs = new CloudWatchLogsClient(config);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/audited' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/audited', retentionInDays: 7 }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/audited', logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/audited', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'data event' }] }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/audited' }));

    const ssm = new SSMClient(config);
    await ssm.send(new PutParameterCommand({ Name: '/audited', Value: 'very-secret-value', Type: 'SecureString' }));
    await ssm.send(new GetParameterCommand({ Name: '/audited' }));
    await ssm.send(new DeleteParameterCommand({ Name: '/audited' }));

    assert.equal((await ecrCall(server.url, 'CreateRepository', { repositoryName: 'audited' })).status, 200);
    const image = buildImage({ layers: [tarArchive([{ name: 'a.txt', body: 'a' }])], cmd: ['/a'] });
    // A push through the registry, then the same manifest under a second tag through the API.
    assert.equal((await pushImage(server.url, basicAuth('AWS', await registryPassword(server.url)), 'audited', 'v1', image)).status, 201);
    const put = await ecrCall(server.url, 'PutImage', { repositoryName: 'audited', imageManifest: image.manifest.toString(), imageTag: 'v2' });
    assert.equal(put.status, 200, put.body);
    assert.equal((await ecrCall(server.url, 'DeleteRepository', { repositoryName: 'audited', force: true })).status, 200);

    const rest = new APIGatewayClient(config);
    const restApiId = (await rest.send(new CreateRestApiCommand({ name: 'audited' }))).id!;
    await rest.send(new CreateApiKeyCommand({ name: 'audited', value: 'very-secret-key-value-1234' }));
    await rest.send(new DeleteRestApiCommand({ restApiId }));
    const http = new ApiGatewayV2Client(config);
    const apiId = (await http.send(new CreateApiCommand({ Name: 'audited', ProtocolType: 'HTTP' }))).ApiId!;
    await http.send(new DeleteApiCommand({ ApiId: apiId }));

    const cfn = cloudFormationClient(server.url);
    const template = JSON.stringify({ Parameters: { Env: { Type: 'String' } }, Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } });
    await cfn.send(new CreateStackCommand({ StackName: 'audited', TemplateBody: template, Parameters: [{ ParameterKey: 'Env', ParameterValue: 'test' }] }));
    await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 60, minDelay: 1 }, { StackName: 'audited' });
    await cfn.send(new DeleteStackCommand({ StackName: 'audited' }));

    const elb = new ElasticLoadBalancingV2Client(config);
    const lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'audited', Subnets: ['subnet-1', 'subnet-2'] }))).LoadBalancers![0]!.LoadBalancerArn!;
    await elb.send(new CreateTargetGroupCommand({ Name: 'audited', TargetType: 'lambda' }));
    await elb.send(new DescribeLoadBalancersCommand({}));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lbArn }));

    const expected: Array<[string, string]> = [
      ['monitoring.amazonaws.com', 'PutMetricAlarm'], ['monitoring.amazonaws.com', 'SetAlarmState'], ['monitoring.amazonaws.com', 'DeleteAlarms'],
      ['logs.amazonaws.com', 'CreateLogGroup'], ['logs.amazonaws.com', 'PutRetentionPolicy'], ['logs.amazonaws.com', 'CreateLogStream'], ['logs.amazonaws.com', 'DeleteLogGroup'],
      ['ssm.amazonaws.com', 'PutParameter'], ['ssm.amazonaws.com', 'DeleteParameter'],
      ['ecr.amazonaws.com', 'CreateRepository'], ['ecr.amazonaws.com', 'PutImage'], ['ecr.amazonaws.com', 'PutImage'], ['ecr.amazonaws.com', 'DeleteRepository'],
      ['apigateway.amazonaws.com', 'CreateRestApi'], ['apigateway.amazonaws.com', 'CreateApiKey'], ['apigateway.amazonaws.com', 'DeleteRestApi'],
      ['apigateway.amazonaws.com', 'CreateApi'], ['apigateway.amazonaws.com', 'DeleteApi'],
      ['cloudformation.amazonaws.com', 'CreateStack'], ['cloudformation.amazonaws.com', 'DeleteStack'],
      ['elasticloadbalancing.amazonaws.com', 'CreateLoadBalancer'], ['elasticloadbalancing.amazonaws.com', 'CreateTargetGroup'], ['elasticloadbalancing.amazonaws.com', 'DeleteLoadBalancer'],
    ];
    await recorder.waitFor(CONTROL, expected.length, 15_000);
    for (const [source, name] of expected) assert.equal(controlNamed(source, name).length, expected.filter(([s, n]) => s === source && n === name).length, `events for ${source} ${name}`);
    assert.equal(control().length, expected.length, JSON.stringify(control().map((e) => e.detail.eventName)));

    // The bus source is the service's (`aws.monitoring` for CloudWatch, as AWS names it).
    const alarmEvent = controlNamed('monitoring.amazonaws.com', 'PutMetricAlarm')[0]!;
    assert.equal(alarmEvent.source, 'aws.monitoring');
    assert.equal(alarmEvent.detail.requestParameters!.alarmName, 'audited');
    assert.equal(alarmEvent.detail.requestParameters!.comparisonOperator, 'GreaterThanThreshold');
    assert.deepEqual(controlNamed('monitoring.amazonaws.com', 'DeleteAlarms')[0]!.detail.requestParameters, { alarmNames: ['audited'] });
    assert.deepEqual(controlNamed('logs.amazonaws.com', 'PutRetentionPolicy')[0]!.detail.requestParameters, { logGroupName: '/audited', retentionInDays: 7 });
    const parameter = controlNamed('ssm.amazonaws.com', 'PutParameter')[0]!.detail;
    assert.equal(parameter.requestParameters!.name, '/audited');
    assert.equal(parameter.requestParameters!.value, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.equal(parameter.responseElements!.version, 1);
    const repository = controlNamed('ecr.amazonaws.com', 'CreateRepository')[0]!;
    assert.equal(repository.source, 'aws.ecr');
    assert.equal(repository.detail.responseElements!.repository.repositoryName, 'audited');
    // The registry push is recorded as PutImage too, with the pusher's identity and the image's digest.
    const puts = controlNamed('ecr.amazonaws.com', 'PutImage').map((e) => e.detail);
    assert.deepEqual(puts.map((d) => d.requestParameters!.imageTag).sort(), ['v1', 'v2']);
    const pushed = puts.find((d) => d.requestParameters!.imageTag === 'v1')!;
    assert.deepEqual([pushed.userIdentity.type, pushed.awsRegion, pushed.requestParameters!.repositoryName, pushed.requestParameters!.registryId], ['Root', 'us-east-1', 'audited', '000000000000']);
    assert.match(pushed.responseElements!.image.imageId.imageDigest, /^sha256:[0-9a-f]{64}$/);
    const restApi = controlNamed('apigateway.amazonaws.com', 'CreateRestApi')[0]!.detail;
    assert.deepEqual(restApi.requestParameters, { createRestApiInput: { name: 'audited' }, template: false });
    assert.equal(restApi.responseElements!.id, restApiId);
    assert.deepEqual(controlNamed('apigateway.amazonaws.com', 'DeleteRestApi')[0]!.detail.requestParameters, { restApiId, template: false });
    const key = controlNamed('apigateway.amazonaws.com', 'CreateApiKey')[0]!.detail;
    assert.equal(key.requestParameters!.createApiKeyInput.value, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.equal(key.responseElements!.value, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.deepEqual(controlNamed('apigateway.amazonaws.com', 'CreateApi')[0]!.detail.requestParameters, { name: 'audited', protocolType: 'HTTP' });
    assert.deepEqual(controlNamed('apigateway.amazonaws.com', 'DeleteApi')[0]!.detail.requestParameters, { apiId });
    const stack = controlNamed('cloudformation.amazonaws.com', 'CreateStack')[0]!;
    assert.equal(stack.source, 'aws.cloudformation');
    assert.equal(stack.detail.requestParameters!.stackName, 'audited');
    assert.deepEqual(stack.detail.requestParameters!.parameters, [{ parameterKey: 'Env', parameterValue: 'test' }]);
    const lb = controlNamed('elasticloadbalancing.amazonaws.com', 'CreateLoadBalancer')[0]!;
    assert.equal(lb.source, 'aws.elasticloadbalancing');
    assert.equal(lb.detail.requestParameters!.name, 'audited');
    assert.deepEqual(lb.detail.requestParameters!.subnets, ['subnet-1', 'subnet-2']);
    assert.ok(!JSON.stringify(control()).includes('very-secret'));
    for (const client of [cw, logs, ssm, rest, http, cfn, elb]) client.destroy();
  });
});
