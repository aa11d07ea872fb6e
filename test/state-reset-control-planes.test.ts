import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AttachRolePolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, GetPolicyCommand, IAMClient, ListAccessKeysCommand,
  ListPoliciesCommand, ListRolesCommand, ListUsersCommand, PutRolePolicyCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateChangeSetCommand, CreateStackCommand, DescribeStacksCommand, ListStacksCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { CreateQueueCommand, GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { APIGatewayClient, CreateApiKeyCommand, CreateUsagePlanCommand, GetApiKeysCommand, GetUsagePlansCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { createCredential } from '../src/auth/credentials.js';
import { rejectsWith } from './support/aws-errors.js';
import { cloudFormationClient } from './support/cloudformation.js';
import { ecrCall, registryPassword } from './support/ecr.js';
import { doorRequest, freePort } from './support/http-doors.js';
import { basicAuth, buildImage, pushImage, tarArchive } from './support/oci-image.js';
import { rawRequest } from './support/raw-http.js';
import { startTestServer, type TestServer } from './support/server.js';

const ACCOUNT_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const LOCAL = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('POST /_lambkin/reset of IAM, ECR, ELBv2, CloudFormation and API Gateway', () => {
  let server: TestServer;
  const config = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = LOCAL) => ({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  const reset = async (query: string) => {
    const res = await fetch(`${server.url}/_lambkin/reset${query}`, { method: 'POST' });
    return { status: res.status, body: (await res.json()) as { reset?: string[]; message?: string } };
  };

  test('empties IAM: users with their keys, roles with their sessions, policies; the server\'s own keys keep working', async () => {
    const iam = new IAMClient(config());
    // What `lambkin credentials create` stores: a key of the account, no user's.
    const serverKey = await createCredential(server.lambkin.store, '000000000000');
    await iam.send(new CreateUserCommand({ UserName: 'reset-user' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'reset-user', PolicyName: 'all', PolicyDocument: ALLOW_ALL }));
    const userKey = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reset-user' }))).AccessKey!;
    const policyArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'reset-policy', PolicyDocument: ALLOW_ALL }))).Policy!.Arn!;
    await iam.send(new CreateRoleCommand({ RoleName: 'reset-role', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'reset-role', PolicyArn: policyArn }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'reset-role', PolicyName: 'inline', PolicyDocument: ALLOW_ALL }));
    const session = (await new STSClient(config()).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/reset-role', RoleSessionName: 'sess' }))).Credentials!;
    const asUser = new STSClient(config({ accessKeyId: userKey.AccessKeyId!, secretAccessKey: userKey.SecretAccessKey! }));
    const asRole = new STSClient(config({ accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! }));
    assert.equal((await asUser.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:user/reset-user');
    assert.equal((await asRole.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:sts::000000000000:assumed-role/reset-role/sess');

    const answer = await reset('?service=iam');
    assert.deepEqual([answer.status, answer.body.reset], [200, ['iam']]);
    assert.deepEqual((await iam.send(new ListUsersCommand({}))).Users ?? [], []);
    assert.deepEqual((await iam.send(new ListRolesCommand({}))).Roles ?? [], []);
    assert.deepEqual((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? [], []);
    // The user's key and the role's session are refused at once (the key was cached by the edge).
    await assert.rejects(asUser.send(new GetCallerIdentityCommand({})), /The security token included in the request is invalid/);
    await assert.rejects(asRole.send(new GetCallerIdentityCommand({})), /The security token included in the request is invalid/);
    // The server's own keys still sign, and AWS-managed policies are still there.
    const asServer = new STSClient(config({ accessKeyId: serverKey.accessKeyId, secretAccessKey: serverKey.secretAccessKey }));
    assert.equal((await asServer.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:root');
    assert.equal((await new STSClient(config()).send(new GetCallerIdentityCommand({}))).Account, '000000000000');
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }))).Policy?.PolicyName, 'AWSLambdaBasicExecutionRole');

    // The same names again: fresh, with no keys or policies from before.
    await iam.send(new CreateUserCommand({ UserName: 'reset-user' }));
    assert.deepEqual((await iam.send(new ListAccessKeysCommand({ UserName: 'reset-user' }))).AccessKeyMetadata ?? [], []);
    await iam.send(new CreatePolicyCommand({ PolicyName: 'reset-policy', PolicyDocument: ALLOW_ALL }));
    await iam.send(new CreateRoleCommand({ RoleName: 'reset-role', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    const fresh = new IAMClient(config({ accessKeyId: serverKey.accessKeyId, secretAccessKey: serverKey.secretAccessKey }));
    assert.deepEqual((await fresh.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName), ['reset-role']);
  });

  test('empties ECR: repositories with their images and uploads in progress; a repository of the same name starts empty', async () => {
    const auth = basicAuth('AWS', await registryPassword(server.url));
    assert.equal((await ecrCall(server.url, 'CreateRepository', { repositoryName: 'reset/app' })).status, 200);
    const image = buildImage({ layers: [tarArchive([{ name: 'a.txt', body: 'old' }])], cmd: ['/a'] });
    assert.equal((await pushImage(server.url, auth, 'reset/app', 'v1', image)).status, 201);
    const upload = await rawRequest(server.url, { method: 'POST', path: '/v2/reset/app/blobs/uploads/', headers: { authorization: auth } });
    assert.equal(upload.status, 202);
    const location = String(upload.headers.location);

    const answer = await reset('?service=ecr');
    assert.deepEqual([answer.status, answer.body.reset], [200, ['ecr']]);
    assert.deepEqual((await ecrCall(server.url, 'DescribeRepositories', {})).json().repositories, []);
    const missing = await ecrCall(server.url, 'DescribeImages', { repositoryName: 'reset/app' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /RepositoryNotFoundException/);
    assert.equal((await rawRequest(server.url, { method: 'GET', path: `/v2/reset/app/manifests/v1`, headers: { authorization: auth } })).status, 404);

    assert.equal((await ecrCall(server.url, 'CreateRepository', { repositoryName: 'reset/app' })).status, 200);
    assert.deepEqual((await ecrCall(server.url, 'DescribeImages', { repositoryName: 'reset/app' })).json().imageDetails, []);
    // The old upload is gone with its repository's, and the old blobs are not the new repository's.
    assert.equal((await rawRequest(server.url, { method: 'GET', path: location, headers: { authorization: auth } })).status, 404);
    assert.equal((await rawRequest(server.url, { method: 'HEAD', path: `/v2/reset/app/blobs/${image.config.digest}`, headers: { authorization: auth } })).status, 404);
    const again = buildImage({ layers: [tarArchive([{ name: 'a.txt', body: 'new' }])], cmd: ['/a'] });
    assert.equal((await pushImage(server.url, auth, 'reset/app', 'v1', again)).status, 201);
    const described = (await ecrCall(server.url, 'DescribeImages', { repositoryName: 'reset/app' })).json().imageDetails as Array<{ imageDigest: string }>;
    assert.deepEqual(described.map((d) => d.imageDigest), [again.manifestDigest]);
  });

  test('empties ELBv2: load balancers, target groups, listeners and rules; the listener\'s port closes and can be had again', async () => {
    const elb = new ElasticLoadBalancingV2Client(config());
    const port = await freePort();
    const lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'reset-lb', Subnets: ['subnet-1', 'subnet-2'] }))).LoadBalancers![0]!.LoadBalancerArn!;
    await elb.send(new CreateTargetGroupCommand({ Name: 'reset-tg', TargetType: 'lambda' }));
    const fixed = (body: string) => [{ Type: 'fixed-response' as const, FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain', MessageBody: body } }];
    const listenerArn = (await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: port, DefaultActions: fixed('old') }))).Listeners![0]!.ListenerArn!;
    await elb.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: fixed('old rule') }));
    assert.equal((await doorRequest(port, { path: '/' })).body.toString(), 'old');

    const answer = await reset('?service=elasticloadbalancing');
    assert.deepEqual([answer.status, answer.body.reset], [200, ['elasticloadbalancing']]);
    assert.deepEqual((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [], []);
    assert.deepEqual((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [], []);
    await assert.rejects(doorRequest(port, { path: '/' }), /ECONNREFUSED/);

    // The same names and the same port again.
    const lb2 = (await elb.send(new CreateLoadBalancerCommand({ Name: 'reset-lb', Subnets: ['subnet-1', 'subnet-2'] }))).LoadBalancers![0]!.LoadBalancerArn!;
    await elb.send(new CreateTargetGroupCommand({ Name: 'reset-tg', TargetType: 'lambda' }));
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb2, Protocol: 'HTTP', Port: port, DefaultActions: fixed('new') }));
    assert.equal((await doorRequest(port, { path: '/x' })).body.toString(), 'new');
  });

  test('empties CloudFormation: stacks and change sets go, their resources stay unless their service is reset too', async () => {
    const cfn = cloudFormationClient(server.url);
    const sqs = new SQSClient(config());
    const template = JSON.stringify({ Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'reset-stack-queue' } } } });
    await cfn.send(new CreateStackCommand({ StackName: 'reset-stack', TemplateBody: template }));
    await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 60, minDelay: 1 }, { StackName: 'reset-stack' });
    await cfn.send(new CreateChangeSetCommand({ StackName: 'reset-later', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: template }));
    await server.lambkin.stacksIdle();

    const answer = await reset('?service=cloudformation');
    assert.deepEqual([answer.status, answer.body.reset], [200, ['cloudformation']]);
    assert.deepEqual((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? [], []);
    await rejectsWith(cfn.send(new DescribeStacksCommand({ StackName: 'reset-stack' })), 'ValidationError', 400, 'Stack with id reset-stack does not exist');
    // The queue the stack made is SQS's: it stays, as a retained resource stays after DeleteStack.
    assert.ok((await sqs.send(new GetQueueUrlCommand({ QueueName: 'reset-stack-queue' }))).QueueUrl);

    // A stack of the same name creates (CreateQueue of the same name and attributes is idempotent).
    await cfn.send(new CreateStackCommand({ StackName: 'reset-stack', TemplateBody: template }));
    await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 60, minDelay: 1 }, { StackName: 'reset-stack' });

    // Named together, CloudFormation stops first and SQS empties its queues (whatever the order named).
    const both = await reset('?service=sqs,cloudformation');
    assert.deepEqual(both.body.reset, ['cloudformation', 'sqs']);
    assert.deepEqual((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? [], []);
    assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined);
    await sqs.send(new CreateQueueCommand({ QueueName: 'reset-stack-queue' }));
  });

  test('empties API Gateway\'s account-wide resources too: API keys and usage plans, with the HTTP APIs', async () => {
    const rest = new APIGatewayClient(config());
    const http = new ApiGatewayV2Client(config());
    await rest.send(new CreateApiKeyCommand({ name: 'reset-key', enabled: true }));
    await rest.send(new CreateUsagePlanCommand({ name: 'reset-plan' }));
    await http.send(new CreateApiCommand({ Name: 'reset-http', ProtocolType: 'HTTP' }));
    const answer = await reset('?service=apigateway');
    assert.deepEqual([answer.status, answer.body.reset], [200, ['apigateway']]);
    assert.deepEqual((await rest.send(new GetApiKeysCommand({}))).items ?? [], []);
    assert.deepEqual((await rest.send(new GetUsagePlansCommand({}))).items ?? [], []);
    assert.deepEqual((await http.send(new GetApisCommand({}))).Items ?? [], []);
    assert.equal((await rest.send(new CreateApiKeyCommand({ name: 'reset-key' }))).name, 'reset-key');
  });

  test('a service that cannot be reset is still refused by name', async () => {
    const answer = await reset('?service=dynamodbstreams');
    assert.equal(answer.status, 400);
    assert.match(String(answer.body.message), /^Service dynamodbstreams cannot be reset yet; services that can: .*\bcloudformation\b.*\biam\b.*\becr\b/);
  });
});
