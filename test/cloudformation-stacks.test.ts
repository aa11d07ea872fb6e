import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStackResourceCommand, DescribeStacksCommand,
  GetTemplateCommand, GetTemplateSummaryCommand, ListExportsCommand, ListImportsCommand, ListStackResourcesCommand, ListStacksCommand, UpdateStackCommand,
  UpdateTerminationProtectionCommand, ValidateTemplateCommand, waitUntilStackCreateComplete, waitUntilStackDeleteComplete, waitUntilStackRollbackComplete, waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { APIGatewayClient, GetApiKeyCommand, GetAuthorizerCommand, GetUsagePlanCommand } from '@aws-sdk/client-api-gateway';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { waitForStatus } from './support/cloudformation.js';
import { doorRequest, freePort } from './support/http-doors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { request as httpsRequest } from 'node:https';

/** The body an HTTPS listener answers, without verifying its (self-signed) certificate. */
function fetchInsecure(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    httpsRequest({ host: '127.0.0.1', port, path: '/', rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
      res.on('error', reject);
    }).on('error', reject).end();
  });
}

const FUNCTION_AND_QUEUE = `
AWSTemplateFormatVersion: '2010-09-09'
Description: a function, a queue and a mapping
Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
  Memory:
    Type: Number
    Default: 128
Mappings:
  Sizes:
    dev: { Timeout: 5 }
    prod: { Timeout: 30 }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !If [IsProd, 120, 60]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: !Sub arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/fn-role
      MemorySize: !Ref Memory
      Timeout: !FindInMap [Sizes, !Ref Stage, Timeout]
      Environment:
        Variables:
          QUEUE_URL: !Ref Queue
          QUEUE_ARN: !GetAtt Queue.Arn
          STACK: !Join ['/', [!Ref 'AWS::StackName', !Select [0, !GetAZs '']]]
      Code:
        ZipFile: |
          exports.handler = async () => ({ queue: process.env.QUEUE_URL, stack: process.env.STACK });
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: !GetAtt Queue.Arn
      BatchSize: 5
Outputs:
  FunctionArn:
    Value: !GetAtt Fn.Arn
    Export:
      Name: !Sub '\${AWS::StackName}-fn'
  QueueUrl:
    Value: !Ref Queue
`;

describe('CloudFormation stacks', () => {
  let server: TestServer;
  let cfn: CloudFormationClient;
  const waiter = () => ({ client: cfn, maxWaitTime: 60, minDelay: 1, maxDelay: 1 });
  before(async () => {
    server = await startTestServer();
    cfn = new CloudFormationClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(() => server.stop());

  test('CreateStack of a YAML template makes the real function, queue and mapping; outputs, exports and events', async () => {
    const created = await cfn.send(new CreateStackCommand({ StackName: 'app', TemplateBody: FUNCTION_AND_QUEUE, Parameters: [{ ParameterKey: 'Memory', ParameterValue: '256' }] }));
    assert.match(created.StackId ?? '', /^arn:aws:cloudformation:us-east-1:000000000000:stack\/app\/[0-9a-f-]{36}$/);
    await waitUntilStackCreateComplete(waiter(), { StackName: 'app' });
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'app' }));
    const stack = Stacks![0]!;
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(stack.Description, 'a function, a queue and a mapping');
    assert.deepEqual(stack.Parameters?.map((p) => [p.ParameterKey, p.ParameterValue]).sort(), [['Memory', '256'], ['Stage', 'dev']]);
    const outputs = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o]));
    assert.match(outputs.FunctionArn!.OutputValue!, /^arn:aws:lambda:us-east-1:000000000000:function:app-Fn-[A-Z0-9]{12}$/);
    assert.equal(outputs.FunctionArn!.ExportName, 'app-fn');
    assert.match(outputs.QueueUrl!.OutputValue!, /\/000000000000\/app-Queue-[A-Z0-9]{12}$/);

    const resources = await cfn.send(new ListStackResourcesCommand({ StackName: 'app' }));
    assert.deepEqual(resources.StackResourceSummaries?.map((r) => [r.LogicalResourceId, r.ResourceStatus]).sort(), [
      ['Fn', 'CREATE_COMPLETE'], ['Mapping', 'CREATE_COMPLETE'], ['Queue', 'CREATE_COMPLETE'],
    ]);
    const fnName = resources.StackResourceSummaries!.find((r) => r.LogicalResourceId === 'Fn')!.PhysicalResourceId!;
    const config = await server.lambda().send(new GetFunctionConfigurationCommand({ FunctionName: fnName }));
    assert.equal(config.MemorySize, 256);
    assert.equal(config.Timeout, 5);
    assert.equal(config.Environment?.Variables?.STACK, 'app/us-east-1a');
    const invoked = await server.lambda().send(new InvokeCommand({ FunctionName: fnName }));
    assert.deepEqual(JSON.parse(Buffer.from(invoked.Payload!).toString()), { queue: outputs.QueueUrl!.OutputValue, stack: 'app/us-east-1a' });
    const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: outputs.QueueUrl!.OutputValue, AttributeNames: ['VisibilityTimeout'] }));
    assert.equal(attrs.Attributes?.VisibilityTimeout, '60');

    const detail = await cfn.send(new DescribeStackResourceCommand({ StackName: 'app', LogicalResourceId: 'Queue' }));
    assert.equal(detail.StackResourceDetail?.ResourceType, 'AWS::SQS::Queue');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'app' }))).StackEvents!;
    assert.equal(events[0]!.ResourceStatus, 'CREATE_COMPLETE');
    assert.equal(events[0]!.LogicalResourceId, 'app');
    assert.equal(events.at(-1)!.ResourceStatus, 'CREATE_IN_PROGRESS');
    assert.equal(events.at(-1)!.ResourceStatusReason, 'User Initiated');
    // The mapping starts only once the function and the queue exist.
    const order = events.slice().reverse().filter((e) => e.ResourceStatus === 'CREATE_COMPLETE').map((e) => e.LogicalResourceId);
    assert.ok(order.indexOf('Mapping') > order.indexOf('Fn') && order.indexOf('Mapping') > order.indexOf('Queue'));

    const exports = await cfn.send(new ListExportsCommand({}));
    assert.deepEqual(exports.Exports?.map((e) => e.Name), ['app-fn']);
    const template = await cfn.send(new GetTemplateCommand({ StackName: 'app' }));
    assert.equal(template.TemplateBody, FUNCTION_AND_QUEUE);
  });

  test('UpdateStack changes in place, replaces what AWS replaces, and says when nothing changes', async () => {
    const before = await cfn.send(new ListStackResourcesCommand({ StackName: 'app' }));
    const physical = (id: string, list = before) => list.StackResourceSummaries!.find((r) => r.LogicalResourceId === id)!.PhysicalResourceId;
    await cfn.send(new UpdateStackCommand({ StackName: 'app', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Stage', ParameterValue: 'prod' }, { ParameterKey: 'Memory', UsePreviousValue: true }] }));
    await waitUntilStackUpdateComplete(waiter(), { StackName: 'app' });
    const afterUpdate = await cfn.send(new ListStackResourcesCommand({ StackName: 'app' }));
    assert.equal(physical('Fn', afterUpdate), physical('Fn'));
    const config = await server.lambda().send(new GetFunctionConfigurationCommand({ FunctionName: physical('Fn') }));
    assert.equal(config.Timeout, 30);
    assert.equal(config.MemorySize, 256);

    const renamed = FUNCTION_AND_QUEUE.replace('      VisibilityTimeout: !If [IsProd, 120, 60]', '      QueueName: renamed-queue\n      VisibilityTimeout: !If [IsProd, 120, 60]');
    await cfn.send(new UpdateStackCommand({ StackName: 'app', TemplateBody: renamed, Parameters: [{ ParameterKey: 'Stage', UsePreviousValue: true }, { ParameterKey: 'Memory', UsePreviousValue: true }] }));
    await waitUntilStackUpdateComplete(waiter(), { StackName: 'app' });
    const replaced = await cfn.send(new ListStackResourcesCommand({ StackName: 'app' }));
    assert.equal(physical('Queue', replaced), 'renamed-queue');
    assert.notEqual(physical('Mapping', replaced), physical('Mapping'));
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'app' }));
    assert.match(Stacks![0]!.Outputs!.find((o) => o.OutputKey === 'QueueUrl')!.OutputValue!, /\/renamed-queue$/);

    await assert.rejects(
      cfn.send(new UpdateStackCommand({ StackName: 'app', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Stage', UsePreviousValue: true }, { ParameterKey: 'Memory', UsePreviousValue: true }] })),
      (err: Error) => err.name === 'ValidationError' && err.message === 'No updates are to be performed.',
    );
  });

  test('a failing resource rolls the create back: CREATE_FAILED with the reason, then ROLLBACK_COMPLETE and nothing left', async () => {
    const template = {
      Resources: {
        Good: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'rollback-good' } },
        Bad: { Type: 'AWS::Lambda::Function', DependsOn: 'Good', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', MemorySize: 1, Code: { ZipFile: 'x' } } },
      },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'broken', TemplateBody: JSON.stringify(template) }));
    await waitForStatus(cfn, 'broken', 'ROLLBACK_COMPLETE');
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'broken' }));
    assert.equal(Stacks![0]!.StackStatus, 'ROLLBACK_COMPLETE');
    assert.equal(Stacks![0]!.StackStatusReason, undefined);
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'broken' }))).StackEvents!;
    const failed = events.find((e) => e.LogicalResourceId === 'Bad' && e.ResourceStatus === 'CREATE_FAILED')!;
    assert.match(
      failed.ResourceStatusReason!,
      /^Resource handler returned message: "1 validation error detected: Value '1' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128 \(Service: Lambda, Status Code: 400, Request ID: [0-9a-f-]+\)" \(RequestToken: [0-9a-f-]+, HandlerErrorCode: InvalidRequest\)$/,
    );
    const rollback = events.find((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')!;
    assert.equal(rollback.ResourceStatusReason, 'The following resource(s) failed to create: [Bad]. Rollback requested by user.');
    assert.ok(events.some((e) => e.LogicalResourceId === 'Good' && e.ResourceStatus === 'DELETE_COMPLETE'));
    const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await assert.rejects(sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${server.url}/000000000000/rollback-good`, AttributeNames: ['All'] })), /NonExistentQueue|does not exist/);
    await cfn.send(new DeleteStackCommand({ StackName: 'broken' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'broken' });
  });

  test('a create refused because the name exists fails the stack, and the rollback leaves the existing resource alone', async () => {
    const logs = new CloudWatchLogsClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/users/own-group' }));
    const template = { Resources: { Group: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/users/own-group' } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'taken-name', TemplateBody: JSON.stringify(template) }));
    await waitForStatus(cfn, 'taken-name', 'ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'taken-name' }))).StackEvents!;
    const failed = events.find((e) => e.LogicalResourceId === 'Group' && e.ResourceStatus === 'CREATE_FAILED');
    assert.match(failed?.ResourceStatusReason ?? '', /HandlerErrorCode: /);
    assert.ok(!events.some((e) => e.LogicalResourceId === 'Group' && e.ResourceStatus === 'DELETE_IN_PROGRESS'), 'the rollback tried to delete the existing log group');
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/users/own-group' }));
    assert.deepEqual(groups.logGroups?.map((g) => g.logGroupName), ['/users/own-group']);
  });

  test('a failed update rolls back: in-place changes reverted, replacements and new resources deleted, UPDATE_ROLLBACK_COMPLETE', async () => {
    const queue = (timeout: number, name: string) => ({ Type: 'AWS::SQS::Queue', Properties: { QueueName: name, VisibilityTimeout: timeout } });
    const v1 = { Resources: { Q: queue(30, 'upd-q'), R: queue(30, 'upd-r') } };
    await cfn.send(new CreateStackCommand({ StackName: 'upd', TemplateBody: JSON.stringify(v1) }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'upd' });
    const v2 = {
      Resources: {
        Q: queue(60, 'upd-q'),
        R: queue(30, 'upd-r2'),
        Bad: { Type: 'AWS::Lambda::Function', DependsOn: ['Q', 'R'], Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', MemorySize: 1, Code: { ZipFile: 'x' } } },
      },
    };
    await cfn.send(new UpdateStackCommand({ StackName: 'upd', TemplateBody: JSON.stringify(v2) }));
    await waitUntilStackRollbackComplete(waiter(), { StackName: 'upd' });
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'upd' }));
    assert.equal(Stacks![0]!.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'upd' }))).StackEvents!;
    assert.equal(events.find((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')?.ResourceStatusReason, 'The following resource(s) failed to update: [Bad]. ');
    const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${server.url}/000000000000/upd-q`, AttributeNames: ['VisibilityTimeout'] }));
    assert.equal(attrs.Attributes?.VisibilityTimeout, '30');
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${server.url}/000000000000/upd-r`, AttributeNames: ['All'] }));
    await assert.rejects(sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${server.url}/000000000000/upd-r2`, AttributeNames: ['All'] })), /NonExistentQueue|does not exist/);
    const resources = await cfn.send(new ListStackResourcesCommand({ StackName: 'upd' }));
    assert.deepEqual(resources.StackResourceSummaries?.map((r) => [r.LogicalResourceId, r.PhysicalResourceId, r.ResourceStatus]).sort(), [
      ['Q', 'upd-q', 'UPDATE_COMPLETE'], ['R', 'upd-r', 'UPDATE_COMPLETE'],
    ]);
    const template = await cfn.send(new GetTemplateCommand({ StackName: 'upd' }));
    assert.deepEqual(JSON.parse(template.TemplateBody!), v1);
    await cfn.send(new DeleteStackCommand({ StackName: 'upd' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'upd' });
  });

  test('an unsupported resource type fails the stack with a reason naming it', async () => {
    const template = { Resources: { Db: { Type: 'AWS::RDS::DBInstance', Properties: {} } } };
    await cfn.send(new CreateStackCommand({ StackName: 'unsupported', TemplateBody: JSON.stringify(template) }));
    await waitForStatus(cfn, 'unsupported', 'ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'unsupported' }))).StackEvents!;
    assert.equal(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason, "Resource type AWS::RDS::DBInstance is not supported by Lambkin's CloudFormation");
  });

  test('bad templates and parameters get CloudFormation\'s ValidationError texts', async () => {
    const cases: [string, string, { ParameterKey: string; ParameterValue: string }[]?][] = [
      ['{"Resources": ', 'Template format error: JSON not well-formed.'],
      ['Resources: {}', 'Template format error: At least one Resources member must be defined.'],
      ['Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Missing\n', 'Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template'],
      ['Resources:\n  A:\n    Type: AWS::SQS::Queue\n    DependsOn: B\n  B:\n    Type: AWS::SQS::Queue\n    DependsOn: A\n', 'Circular dependency between resources: [A, B]'],
      ['Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: {"Fn::Nope": 1}\n', 'Template format error: Encountered unsupported function: Fn::Nope Supported functions are: [Fn::Base64, Fn::Cidr, Fn::FindInMap, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Select, Fn::Split, Fn::Sub, Fn::Transform, Fn::If, Fn::Equals, Fn::And, Fn::Or, Fn::Not, Fn::Length, Fn::ToJsonString, Ref, Condition]'],
      ['Parameters:\n  P:\n    Type: String\nResources:\n  A:\n    Type: AWS::SQS::Queue\n', 'Parameters: [P] must have values'],
      ['Parameters:\n  P:\n    Type: String\n    AllowedValues: [a]\nResources:\n  A:\n    Type: AWS::SQS::Queue\n', "Parameter 'P' must be one of AllowedValues", [{ ParameterKey: 'P', ParameterValue: 'b' }]],
      ['Resources:\n  A:\n    Type: AWS::SQS::Queue\n', 'Parameters: [X] do not exist in the template', [{ ParameterKey: 'X', ParameterValue: 'b' }]],
    ];
    for (const [body, message, parameters] of cases) {
      await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'bad', TemplateBody: body, Parameters: parameters })), (err: Error) => {
        assert.equal(err.name, 'ValidationError', body);
        assert.equal(err.message, message);
        return true;
      });
    }
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'nope' })), (err: Error) => err.name === 'ValidationError' && err.message === 'Stack with id nope does not exist');
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'app', TemplateBody: FUNCTION_AND_QUEUE })), (err: Error) => err.name === 'AlreadyExistsException' && err.message === 'Stack [app] already exists');
    const role = 'Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: named\n      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}\n';
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'iam', TemplateBody: role, Capabilities: ['CAPABILITY_IAM'] })), (err: Error) => {
      assert.equal(err.name, 'InsufficientCapabilitiesException');
      assert.equal(err.message, 'Requires capabilities : [CAPABILITY_NAMED_IAM]');
      return true;
    });
  });

  test('a SAM template needs CAPABILITY_AUTO_EXPAND on CreateStack, then deploys its function and execution role', async () => {
    const sam = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Hello:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: index.handler',
      '      InlineCode: "exports.handler = async () => \'hello from sam\';"',
      'Outputs:',
      '  Name:',
      '    Value: !Ref Hello',
    ].join('\n');
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'sam', TemplateBody: sam, Capabilities: ['CAPABILITY_IAM'] })), (err: Error) => {
      assert.equal(err.name, 'InsufficientCapabilitiesException');
      assert.equal(err.message, 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]');
      return true;
    });
    await cfn.send(new CreateStackCommand({ StackName: 'sam', TemplateBody: sam, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'sam' });
    const resources = await cfn.send(new ListStackResourcesCommand({ StackName: 'sam' }));
    assert.deepEqual(resources.StackResourceSummaries?.map((r) => [r.LogicalResourceId, r.ResourceType]).sort(), [['Hello', 'AWS::Lambda::Function'], ['HelloRole', 'AWS::IAM::Role']]);
    const name = (await cfn.send(new DescribeStacksCommand({ StackName: 'sam' }))).Stacks![0]!.Outputs![0]!.OutputValue!;
    const invoked = await server.lambda().send(new InvokeCommand({ FunctionName: name }));
    assert.equal(Buffer.from(invoked.Payload!).toString(), '"hello from sam"');
    const processed = await cfn.send(new GetTemplateCommand({ StackName: 'sam', TemplateStage: 'Processed' }));
    assert.equal(JSON.parse(processed.TemplateBody!).Resources.Hello.Type, 'AWS::Lambda::Function');
    await cfn.send(new DeleteStackCommand({ StackName: 'sam' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'sam' });
  });

  test('a SAM HttpApi event becomes a working HTTP API (OpenAPI body as routes and integrations, $default stage, permission)', async () => {
    const sam = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Api:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: index.handler',
      '      InlineCode: "exports.handler = async (e) => ({ statusCode: 200, body: e.rawPath });"',
      '      Events:',
      '        Hello:',
      '          Type: HttpApi',
      '          Properties:',
      '            Path: /hello',
      '            Method: GET',
      'Outputs:',
      '  Url:',
      '    Value: !Sub "https://${ServerlessHttpApi}.execute-api.${AWS::Region}.amazonaws.com"',
    ].join('\n');
    await cfn.send(new CreateStackCommand({ StackName: 'http', TemplateBody: sam, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'http' });
    const resources = await cfn.send(new ListStackResourcesCommand({ StackName: 'http' }));
    const apiId = resources.StackResourceSummaries!.find((r) => r.ResourceType === 'AWS::ApiGatewayV2::Api')!.PhysicalResourceId!;
    const res = await fetch(`${server.url}/_lambkin/apis/${apiId}/hello`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '/hello');
    await cfn.send(new DeleteStackCommand({ StackName: 'http' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'http' });
  });

  test('a REST API from AWS::ApiGateway::RestApi, Resource, Method (AWS_PROXY, and a CORS OPTIONS MOCK as the CDK writes it), Deployment with a stage, and its permission, as the Serverless Framework writes them', async () => {
    const template = {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: 'exports.handler = async (e) => ({ statusCode: 200, body: e.path + " " + e.requestContext.stage });' } },
        },
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'dev-rest', EndpointConfiguration: { Types: ['EDGE'] }, Policy: '' } },
        Hello: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'hello', RestApiId: { Ref: 'Api' } } },
        Permission: {
          Type: 'AWS::Lambda::Permission',
          Properties: { FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*' } },
        },
        Get: {
          Type: 'AWS::ApiGateway::Method',
          DependsOn: ['Permission'],
          Properties: {
            HttpMethod: 'GET', ResourceId: { Ref: 'Hello' }, RestApiId: { Ref: 'Api' }, AuthorizationType: 'NONE', ApiKeyRequired: false, RequestParameters: {}, MethodResponses: [],
            Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations' } },
          },
        },
        // defaultCorsPreflightOptions: a MOCK whose integration response maps the headers its method response declares.
        Options: {
          Type: 'AWS::ApiGateway::Method',
          Properties: {
            HttpMethod: 'OPTIONS', ResourceId: { Ref: 'Hello' }, RestApiId: { Ref: 'Api' }, AuthorizationType: 'NONE',
            Integration: {
              Type: 'MOCK', RequestTemplates: { 'application/json': '{ statusCode: 200 }' },
              IntegrationResponses: [{
                StatusCode: '204',
                ResponseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'", 'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS'" },
              }],
            },
            MethodResponses: [{ StatusCode: '204', ResponseParameters: { 'method.response.header.Access-Control-Allow-Origin': true, 'method.response.header.Access-Control-Allow-Methods': 'true' } }],
          },
        },
        Deployment: { Type: 'AWS::ApiGateway::Deployment', DependsOn: ['Get', 'Options'], Properties: { RestApiId: { Ref: 'Api' }, StageName: 'dev' } },
      },
      Outputs: { Root: { Value: { 'Fn::GetAtt': ['Api', 'RootResourceId'] } } },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'rest', TemplateBody: JSON.stringify(template) }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'rest' });
    const resources = (await cfn.send(new ListStackResourcesCommand({ StackName: 'rest' }))).StackResourceSummaries!;
    const apiId = resources.find((r) => r.LogicalResourceId === 'Api')!.PhysicalResourceId!;
    assert.match(apiId, /^[a-z0-9]{10}$/);
    const res = await fetch(`${server.url}/_lambkin/apis/${apiId}/dev/hello`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '/hello dev');
    const preflight = await fetch(`${server.url}/_lambkin/apis/${apiId}/dev/hello`, { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET,OPTIONS');
    await cfn.send(new DeleteStackCommand({ StackName: 'rest' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'rest' });
    assert.equal((await fetch(`${server.url}/_lambkin/apis/${apiId}/dev/hello`)).status, 404);
  });

  test('REST API access resources: a Cognito Authorizer, an ApiKey in a UsagePlan through a UsagePlanKey; an update patches the plan in place', async () => {
    const apigw = new APIGatewayClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const mock = { Type: 'MOCK', RequestTemplates: { 'application/json': '{"statusCode": 200}' }, IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': '{"ok":true}' } }] };
    const template = (limit: number) => ({
      Resources: {
        Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'access' } },
        Users: {
          Type: 'AWS::ApiGateway::Authorizer',
          Properties: { RestApiId: { Ref: 'Api' }, Name: 'users', Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization', ProviderARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Pool1'] },
        },
        Mine: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'mine' } },
        Keyed: { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'keyed' } },
        MineGet: {
          Type: 'AWS::ApiGateway::Method',
          Properties: { RestApiId: { Ref: 'Api' }, ResourceId: { Ref: 'Mine' }, HttpMethod: 'GET', AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: { Ref: 'Users' }, Integration: mock, MethodResponses: [{ StatusCode: '200' }] },
        },
        KeyedGet: {
          Type: 'AWS::ApiGateway::Method',
          Properties: { RestApiId: { Ref: 'Api' }, ResourceId: { Ref: 'Keyed' }, HttpMethod: 'GET', AuthorizationType: 'NONE', ApiKeyRequired: true, Integration: mock, MethodResponses: [{ StatusCode: '200' }] },
        },
        Deployment: { Type: 'AWS::ApiGateway::Deployment', DependsOn: ['MineGet', 'KeyedGet'], Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod' } },
        Key: { Type: 'AWS::ApiGateway::ApiKey', Properties: { Enabled: true, Value: 'partner-key-0123456789abcdef' } },
        Plan: {
          Type: 'AWS::ApiGateway::UsagePlan', DependsOn: ['Deployment'],
          Properties: { UsagePlanName: 'partners', ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: 'prod' }], Quota: { Limit: limit, Period: 'DAY' }, Throttle: { BurstLimit: 10, RateLimit: 5 } },
        },
        PlanKey: { Type: 'AWS::ApiGateway::UsagePlanKey', Properties: { KeyId: { Ref: 'Key' }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'Plan' } } },
      },
      Outputs: { Api: { Value: { Ref: 'Api' } }, Authorizer: { Value: { 'Fn::GetAtt': ['Users', 'AuthorizerId'] } }, Key: { Value: { 'Fn::GetAtt': ['Key', 'APIKeyId'] } }, Plan: { Value: { Ref: 'Plan' } } },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'access', TemplateBody: JSON.stringify(template(1)) }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'access' });
    const outputs = async () => Object.fromEntries((await cfn.send(new DescribeStacksCommand({ StackName: 'access' }))).Stacks![0]!.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    const out = await outputs();
    assert.deepEqual((await apigw.send(new GetAuthorizerCommand({ restApiId: out.Api, authorizerId: out.Authorizer }))).type, 'COGNITO_USER_POOLS');
    assert.equal((await apigw.send(new GetApiKeyCommand({ apiKey: out.Key, includeValue: true }))).value, 'partner-key-0123456789abcdef');
    const call = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}/_lambkin/apis/${out.Api}/prod${path}`, { headers });
    assert.equal((await call('/mine', { authorization: 'token' })).status, 401);
    assert.equal((await call('/keyed')).status, 403);
    assert.equal((await call('/keyed', { 'x-api-key': 'partner-key-0123456789abcdef' })).status, 200);
    assert.equal((await call('/keyed', { 'x-api-key': 'partner-key-0123456789abcdef' })).status, 429, 'the quota of 1 is spent');

    await cfn.send(new UpdateStackCommand({ StackName: 'access', TemplateBody: JSON.stringify(template(5)) }));
    await waitUntilStackUpdateComplete(waiter(), { StackName: 'access' });
    assert.equal((await outputs()).Plan, out.Plan, 'the plan is updated in place');
    assert.deepEqual((await apigw.send(new GetUsagePlanCommand({ usagePlanId: out.Plan }))).quota, { limit: 5, offset: 0, period: 'DAY' });
    assert.equal((await call('/keyed', { 'x-api-key': 'partner-key-0123456789abcdef' })).status, 200, 'the higher limit applies at once');
    await cfn.send(new DeleteStackCommand({ StackName: 'access' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'access' });
    assert.equal((await apigw.send(new GetApiKeyCommand({ apiKey: out.Key })).catch((e: Error) => e)).name, 'NotFoundException');
    apigw.destroy();
  });

  test('a SAM Api event becomes a working REST API: ServerlessRestApi imported from its swagger body, Prod stage, permission; an update redeploys', async () => {
    const sam = (events: string[]) => [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: index.handler',
      '      InlineCode: "exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e) });"',
      '      Events:',
      ...events.flatMap((path, i) => [`        E${i}:`, '          Type: Api', '          Properties:', `            Path: ${path}`, '            Method: get']),
      'Outputs:',
      '  Url:',
      '    Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/"',
    ].join('\n');
    await cfn.send(new CreateStackCommand({ StackName: 'restsam', TemplateBody: sam(['/hello']), Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'restsam' });
    const resources = (await cfn.send(new ListStackResourcesCommand({ StackName: 'restsam' }))).StackResourceSummaries!;
    const apiId = resources.find((r) => r.LogicalResourceId === 'ServerlessRestApi')!.PhysicalResourceId!;
    assert.ok(resources.some((r) => r.LogicalResourceId === 'ServerlessRestApiProdStage' && r.ResourceType === 'AWS::ApiGateway::Stage'));
    assert.ok(resources.some((r) => /^ServerlessRestApiDeployment[0-9a-f]{10}$/.test(r.LogicalResourceId!)));
    const res = await fetch(`http://127.0.0.1:${server.lambkin.port}/_lambkin/apis/${apiId}/Prod/hello?x=1`);
    assert.equal(res.status, 200);
    // The REST (payload 1.0) proxy event.
    const event = (await res.json()) as Record<string, any>;
    assert.equal(event.resource, '/hello');
    assert.equal(event.path, '/hello');
    assert.equal(event.httpMethod, 'GET');
    assert.deepEqual(event.queryStringParameters, { x: '1' });
    assert.deepEqual(event.multiValueQueryStringParameters, { x: ['1'] });
    assert.equal(event.requestContext.stage, 'Prod');
    assert.equal(event.requestContext.apiId, apiId);
    assert.equal(event.rawPath, undefined);
    assert.equal((await fetch(`${server.url}/_lambkin/apis/${apiId}/Prod/bye`)).status, 403);

    // A new event changes the body, so the Deployment's logical id: the Prod stage moves to the new one.
    await cfn.send(new UpdateStackCommand({ StackName: 'restsam', TemplateBody: sam(['/hello', '/bye']), Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }));
    await waitUntilStackUpdateComplete(waiter(), { StackName: 'restsam' });
    const bye = await fetch(`${server.url}/_lambkin/apis/${apiId}/Prod/bye`);
    assert.equal(bye.status, 200);
    assert.equal(((await bye.json()) as Record<string, any>).resource, '/bye');
    await cfn.send(new DeleteStackCommand({ StackName: 'restsam' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'restsam' });
    assert.equal((await fetch(`${server.url}/_lambkin/apis/${apiId}/Prod/hello`)).status, 404);
  });

  test('a REST API Body Lambkin cannot import fails the resource with the import errors', async () => {
    const template = { Resources: { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'imported', Body: { swagger: '2.0', info: { title: 't' }, paths: { '/a b': {} } } } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'rest-body', TemplateBody: JSON.stringify(template) }));
    await waitForStatus(cfn, 'rest-body', 'ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'rest-body' }))).StackEvents!;
    assert.match(events.find((e) => e.LogicalResourceId === 'Api' && e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason ?? '', /Errors found during import:\s+Unable to create resource at path '\/a b'/);
  });

  test('AWS::SSM::Parameter creates a parameter; an AWS::SSM::Parameter::Value<String> parameter reads one', async () => {
    const writer = { Resources: { P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/cfn/greeting', Type: 'String', Value: 'hello' } } }, Outputs: { V: { Value: { 'Fn::GetAtt': ['P', 'Value'] } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'ssm-writer', TemplateBody: JSON.stringify(writer) }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'ssm-writer' });
    const reader = {
      Parameters: { Greeting: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cfn/greeting' } },
      Resources: { Q: { Type: 'AWS::SQS::Queue' } },
      Outputs: { Greeting: { Value: { Ref: 'Greeting' } } },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'ssm-reader', TemplateBody: JSON.stringify(reader) }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'ssm-reader' });
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'ssm-reader' }));
    assert.equal(Stacks![0]!.Outputs![0]!.OutputValue, 'hello');
    assert.deepEqual(Stacks![0]!.Parameters, [{ ParameterKey: 'Greeting', ParameterValue: '/cfn/greeting' }]);
    await assert.rejects(
      cfn.send(new CreateStackCommand({ StackName: 'ssm-missing', TemplateBody: JSON.stringify(reader), Parameters: [{ ParameterKey: 'Greeting', ParameterValue: '/cfn/none' }] })),
      (err: Error) => err.name === 'ValidationError' && err.message === 'Unable to fetch parameters [/cfn/none] from parameter store for this account.',
    );
    for (const name of ['ssm-reader', 'ssm-writer']) {
      await cfn.send(new DeleteStackCommand({ StackName: name }));
      await waitUntilStackDeleteComplete(waiter(), { StackName: name });
    }
  });

  test('a custom resource backed by a function: Create and Delete requests, the response through a presigned S3 URL, Data as GetAtt', async () => {
    const handler = [
      "const response = require('cfn-response');",
      'exports.handler = async (event, context) => {',
      "  const greeting = event.ResourceProperties.Greeting + '!';",
      "  if (event.RequestType === 'Create' && event.ResourceProperties.Fail) return response.send(event, context, response.FAILED, {}, 'x', false, 'asked to fail');",
      "  await response.send(event, context, response.SUCCESS, { Out: greeting, Seen: event.RequestType }, 'thing-1');",
      '};',
    ].join('\n');
    const template = (fail: boolean) => JSON.stringify({
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: handler } } },
        Thing: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Greeting: 'hi', ...(fail ? { Fail: true } : {}) } },
      },
      Outputs: { Out: { Value: { 'Fn::GetAtt': ['Thing', 'Out'] } } },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'custom', TemplateBody: template(false) }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'custom' });
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'custom' }));
    assert.equal(Stacks![0]!.Outputs![0]!.OutputValue, 'hi!');
    const thing = await cfn.send(new DescribeStackResourceCommand({ StackName: 'custom', LogicalResourceId: 'Thing' }));
    assert.equal(thing.StackResourceDetail?.PhysicalResourceId, 'thing-1');
    await cfn.send(new DeleteStackCommand({ StackName: 'custom' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'custom' });

    await cfn.send(new CreateStackCommand({ StackName: 'custom-fails', TemplateBody: template(true) }));
    await waitForStatus(cfn, 'custom-fails', 'ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'custom-fails' }))).StackEvents!;
    assert.match(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')!.ResourceStatusReason!, /^Received response status \[FAILED\] from custom resource\. Message returned: asked to fail \(RequestId: [0-9a-f-]+\)$/);
  });

  test('an Application Load Balancer stack: a Lambda target group, its permission, a listener on a real port and a rule', async () => {
    const port = await freePort();
    const tlsPort = await freePort();
    const template = JSON.stringify({
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: "exports.handler = async (e) => ({ statusCode: 200, body: 'alb ' + e.path });" } } },
        Allow: { Type: 'AWS::Lambda::Permission', Properties: { FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Action: 'lambda:InvokeFunction', Principal: 'elasticloadbalancing.amazonaws.com' } },
        Targets: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', DependsOn: 'Allow', Properties: { TargetType: 'lambda', Targets: [{ Id: { 'Fn::GetAtt': ['Fn', 'Arn'] } }] } },
        Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: ['subnet-1', 'subnet-2'] } },
        Http: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Lb' }, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] } },
        Https: {
          Type: 'AWS::ElasticLoadBalancingV2::Listener',
          Properties: {
            LoadBalancerArn: { Ref: 'Lb' }, Protocol: 'HTTPS', Port: tlsPort, Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/cfn' }],
            DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: 'tls' } }],
          },
        },
        Rule: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: { Ref: 'Http' }, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }], Actions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Targets' } }] } },
      },
      Outputs: { Dns: { Value: { 'Fn::GetAtt': ['Lb', 'DNSName'] } } },
    });
    await cfn.send(new CreateStackCommand({ StackName: 'alb', TemplateBody: template }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'alb' });
    const res = await doorRequest(port, { path: '/api/x' });
    assert.equal(res.status, 200);
    assert.equal(res.text(), 'alb /api/x');
    assert.equal((await doorRequest(port, { path: '/other' })).status, 404);
    const tls = await fetchInsecure(tlsPort);
    assert.equal(tls, 'tls');
    await cfn.send(new DeleteStackCommand({ StackName: 'alb' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'alb' });
    await assert.rejects(doorRequest(port, { path: '/api/x' }));
  });

  test('AWS::ECR::Repository creates a repository (Arn, RepositoryUri) and deletes it with the stack', async () => {
    const template = { Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: { RepositoryName: 'cfn-repo', EmptyOnDelete: true } } }, Outputs: { Uri: { Value: { 'Fn::GetAtt': ['Repo', 'RepositoryUri'] } }, Arn: { Value: { 'Fn::GetAtt': ['Repo', 'Arn'] } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'ecr', TemplateBody: JSON.stringify(template) }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'ecr' });
    const outputs = Object.fromEntries((await cfn.send(new DescribeStacksCommand({ StackName: 'ecr' }))).Stacks![0]!.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    assert.equal(outputs.Arn, 'arn:aws:ecr:us-east-1:000000000000:repository/cfn-repo');
    assert.match(outputs.Uri!, /\/cfn-repo$/);
    await cfn.send(new DeleteStackCommand({ StackName: 'ecr' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'ecr' });
    const again = await cfn.send(new CreateStackCommand({ StackName: 'ecr2', TemplateBody: JSON.stringify(template) }));
    assert.ok(again.StackId);
    await waitUntilStackCreateComplete(waiter(), { StackName: 'ecr2' });
  });

  test('ValidateTemplate and GetTemplateSummary describe parameters and capabilities', async () => {
    const v = await cfn.send(new ValidateTemplateCommand({ TemplateBody: FUNCTION_AND_QUEUE }));
    assert.deepEqual(v.Parameters?.map((p) => [p.ParameterKey, p.DefaultValue]), [['Stage', 'dev'], ['Memory', '128']]);
    assert.equal(v.Description, 'a function, a queue and a mapping');
    const s = await cfn.send(new GetTemplateSummaryCommand({ StackName: 'app' }));
    assert.deepEqual(s.ResourceTypes?.sort(), ['AWS::Lambda::EventSourceMapping', 'AWS::Lambda::Function', 'AWS::SQS::Queue']);
  });

  test('imports pin an export; termination protection blocks DeleteStack; deletion goes in reverse order', async () => {
    const importer = { Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { Tags: [{ Key: 'fn', Value: { 'Fn::ImportValue': 'app-fn' } }] } } } };
    await cfn.send(new CreateStackCommand({ StackName: 'importer', TemplateBody: JSON.stringify(importer) }));
    await waitUntilStackCreateComplete(waiter(), { StackName: 'importer' });
    assert.deepEqual((await cfn.send(new ListImportsCommand({ ExportName: 'app-fn' }))).Imports, ['importer']);
    await assert.rejects(cfn.send(new DeleteStackCommand({ StackName: 'app' })), (err: Error) => err.message === 'Export app-fn cannot be deleted as it is in use by importer');
    await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'importer', EnableTerminationProtection: true }));
    await assert.rejects(cfn.send(new DeleteStackCommand({ StackName: 'importer' })), (err: Error) => err.message === 'Stack [importer] cannot be deleted while TerminationProtection is enabled');
    await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'importer', EnableTerminationProtection: false }));
    await cfn.send(new DeleteStackCommand({ StackName: 'importer' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: 'importer' });

    const stackId = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0]!.StackId!;
    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: stackId });
    const all = (await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).StackEvents!.slice().reverse();
    const events = all.slice(all.findIndex((e) => e.LogicalResourceId === 'app' && e.ResourceStatus === 'DELETE_IN_PROGRESS'));
    const deleted = events.filter((e) => e.ResourceStatus === 'DELETE_COMPLETE').map((e) => e.LogicalResourceId);
    assert.ok(deleted.indexOf('Mapping') < deleted.indexOf('Fn') && deleted.indexOf('Mapping') < deleted.indexOf('Queue'));
    assert.equal(deleted.at(-1), 'app');
    const listed = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }));
    assert.ok(listed.StackSummaries?.some((s) => s.StackId === stackId));
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'app' })), /does not exist/);
    await assert.rejects(server.lambda().send(new GetFunctionConfigurationCommand({ FunctionName: 'app-Fn' })), /ResourceNotFound|not found/i);
  });
});
