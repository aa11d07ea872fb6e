import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, RemovePermissionCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateListenerCommand, CreateRuleCommand, DescribeListenersCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client, ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand, CreateTargetGroupCommand, RegisterTargetsCommand, DescribeTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';
import { awsCli, DOOR_HANDLER_ZIP, doorRequest, freePort } from './support/http-doors.js';
import { awsCliSkip } from './support/cli.js';

const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

describe('Application Load Balancer with a Lambda target', { skip: awsCliSkip }, () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let elb: ElasticLoadBalancingV2Client;
  let port: number;
  let lbArn: string;
  let tgArn: string;
  let listenerArn: string;
  const cli = (...args: string[]) => awsCli(server.url, ['elbv2', ...args]);

  async function createFn(name: string, timeout = 10): Promise<void> {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: DOOR_HANDLER_ZIP }, Timeout: timeout }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  }
  const allowElb = (name: string) =>
    lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'elb', Action: 'lambda:InvokeFunction', Principal: 'elasticloadbalancing.amazonaws.com' }));
  const get = (path: string, headers: Record<string, string | string[]> = {}, method = 'GET', body?: Buffer | string) =>
    doorRequest(port, { method, path, headers, body });

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    elb = new ElasticLoadBalancingV2Client({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await createFn('alb-fn');
    await createFn('alb-slow', 1);
    port = await freePort();
  });
  after(() => server.stop());

  test('the AWS CLI builds a load balancer; RegisterTargets needs the function permission', async () => {
    const lb = await cli('create-load-balancer', '--name', 'lb1', '--subnets', 'subnet-1', 'subnet-2');
    assert.equal(lb.code, 0, lb.stderr);
    lbArn = lb.json().LoadBalancers[0].LoadBalancerArn;
    assert.match(lbArn, /^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/app\/lb1\/[0-9a-f]{16}$/);
    assert.equal(lb.json().LoadBalancers[0].Type, 'application');
    const tg = await cli('create-target-group', '--name', 'tg1', '--target-type', 'lambda');
    assert.equal(tg.code, 0, tg.stderr);
    tgArn = tg.json().TargetGroups[0].TargetGroupArn;
    assert.equal(tg.json().TargetGroups[0].TargetType, 'lambda');

    const denied = await cli('register-targets', '--target-group-arn', tgArn, '--targets', `Id=${FN_ARN}:alb-fn`);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, new RegExp(`\\(AccessDenied\\) when calling the RegisterTargets operation: elasticloadbalancing principal does not have permission to invoke ${FN_ARN}:alb-fn from target group ${tgArn.replace(/[/.]/g, '\\$&')}`));
    await allowElb('alb-fn');
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: `${FN_ARN}:alb-fn` }] }));

    const listener = await cli('create-listener', '--load-balancer-arn', lbArn, '--protocol', 'HTTP', '--port', String(port), '--default-actions', `Type=forward,TargetGroupArn=${tgArn}`);
    assert.equal(listener.code, 0, listener.stderr);
    listenerArn = listener.json().Listeners[0].ListenerArn;
    assert.equal(listener.json().Listeners[0].Port, port);

    const attrs = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tgArn }));
    assert.deepEqual(attrs.Attributes, [{ Key: 'lambda.multi_value_headers.enabled', Value: 'false' }]);
    const missing = await cli('describe-load-balancers', '--load-balancer-arns', `${lbArn}0`);
    assert.match(missing.stderr, /\(LoadBalancerNotFound\) when calling the DescribeLoadBalancers operation: One or more load balancers not found/);
    const dup = await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] })).catch((e: Error) => e);
    assert.equal((dup as Error).name, 'DuplicateListenerException');
  });

  test('the single-value event: raw query values, last value wins, ALB headers added', async () => {
    const res = await get('/items/1?q=a%20b&name=foo&name=bar', { 'X-Custom': ['one', 'two'], 'content-type': 'application/json' }, 'POST', '{"a":1}');
    assert.equal(res.status, 200);
    const event = res.json();
    assert.deepEqual(event.requestContext, { elb: { targetGroupArn: tgArn } });
    assert.equal(event.httpMethod, 'POST');
    assert.equal(event.path, '/items/1');
    assert.deepEqual(event.queryStringParameters, { q: 'a%20b', name: 'bar' });
    assert.equal(event.headers['x-custom'], 'two');
    assert.equal(event.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(event.headers['x-forwarded-port'], String(port));
    assert.equal(event.headers['x-forwarded-proto'], 'http');
    assert.match(event.headers['x-amzn-trace-id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.equal(event.body, '{"a":1}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.multiValueHeaders, undefined);
    const bare = (await get('/')).json();
    assert.deepEqual(bare.queryStringParameters, {});
    assert.equal(bare.body, '');
  });

  test('binary request bodies are base64; binary responses are decoded', async () => {
    const bytes = Buffer.from([0, 1, 2, 200, 255]);
    const echoed = await get('/echo-binary', { 'content-type': 'application/octet-stream' }, 'POST', bytes);
    assert.deepEqual(echoed.body, bytes);
    const event = (await get('/', { 'content-type': 'image/png' }, 'POST', bytes)).json();
    assert.equal(event.isBase64Encoded, true);
    assert.equal(event.body, bytes.toString('base64'));
  });

  test('response mapping: status, statusDescription as the reason phrase, headers', async () => {
    const res = await get('/alb-single');
    assert.equal(res.status, 202);
    assert.equal(res.statusMessage, 'Accepted');
    assert.equal(res.headers['x-thing'], 'one');
    assert.equal(res.headers['content-type'], 'text/plain');
    assert.equal(res.text(), 'single');
  });

  test('multi-value headers on: arrays in the event, multiValueHeaders in the response', async () => {
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tgArn, Attributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }] }));
    const event = (await get('/x?name=foo&name=bar&q=a%20b', { 'X-Custom': ['one', 'two'] })).json();
    assert.deepEqual(event.multiValueQueryStringParameters, { name: ['foo', 'bar'], q: ['a%20b'] });
    assert.deepEqual(event.multiValueHeaders['x-custom'], ['one', 'two']);
    assert.equal(event.headers, undefined);
    assert.equal(event.queryStringParameters, undefined);
    const res = await get('/multi');
    assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(res.headers['content-type'], 'text/plain');
    await elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tgArn, Attributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'false' }] }));
    // Single-value mode ignores multiValueHeaders in the answer.
    assert.equal((await get('/multi')).headers['set-cookie'], undefined);
  });

  test('function errors, malformed answers, responses over 1 MB and timeouts are 502', async () => {
    for (const path of ['/throw', '/malformed', '/huge', '/plain']) {
      const res = await get(path);
      assert.equal(res.status, 502, path);
      assert.match(res.text(), /<title>502 Bad Gateway<\/title>/);
    }
    const slowTg = await elb.send(new CreateTargetGroupCommand({ Name: 'tg-slow', TargetType: 'lambda' }));
    await allowElb('alb-slow');
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: slowTg.TargetGroups![0]!.TargetGroupArn, Targets: [{ Id: `${FN_ARN}:alb-slow` }] }));
    await elb.send(new CreateRuleCommand({
      ListenerArn: listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/slow/*'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: slowTg.TargetGroups![0]!.TargetGroupArn }],
    }));
    assert.equal((await get('/slow/sleep')).status, 502);
  });

  test('rules by priority with each condition type; fixed responses; the default otherwise', async () => {
    const fixed = (status: string, body: string) => [{ Type: 'fixed-response' as const, FixedResponseConfig: { StatusCode: status, ContentType: 'text/plain', MessageBody: body } }];
    const rule = (priority: number, Conditions: any[], Actions: any[]) => elb.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: priority, Conditions, Actions }));
    const created = await cli('create-rule', '--listener-arn', listenerArn, '--priority', '20', '--conditions', 'Field=path-pattern,Values=/fixed/*',
      '--actions', 'Type=fixed-response,FixedResponseConfig={StatusCode=418,ContentType=text/plain,MessageBody=teapot}');
    assert.equal(created.code, 0, created.stderr);
    await rule(10, [{ Field: 'path-pattern', Values: ['/fixed/special'] }], [{ Type: 'forward', TargetGroupArn: tgArn }]);
    await rule(30, [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Route', Values: ['b*'] } }], fixed('201', 'header'));
    await rule(40, [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['DELETE'] } }], fixed('202', 'method'));
    await rule(50, [{ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'mode', Value: 'fix*' }] } }], fixed('203', 'query'));
    await rule(60, [{ Field: 'host-header', HostHeaderConfig: { Values: ['*.example.com'] } }], fixed('204', ''));
    await rule(70, [{ Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } }], fixed('205', 'never'));
    await rule(80, [{ Field: 'source-ip', SourceIpConfig: { Values: ['127.0.0.0/8'] } }, { Field: 'path-pattern', Values: ['/ip'] }], fixed('206', 'ip'));

    const teapot = await get('/fixed/other');
    assert.equal(teapot.status, 418);
    assert.equal(teapot.text(), 'teapot');
    assert.equal((await get('/fixed/special')).json().path, '/fixed/special');
    assert.equal((await get('/h', { 'x-route': 'BLUE' })).text(), 'header');
    assert.equal((await get('/m', {}, 'DELETE')).text(), 'method');
    assert.equal((await get('/q?mode=fixed')).text(), 'query');
    assert.equal((await doorRequest(port, { path: '/host', host: 'api.example.com' })).status, 204);
    assert.equal((await get('/ip')).text(), 'ip');
    assert.equal((await get('/nothing')).json().path, '/nothing');

    const dup = await rule(10, [{ Field: 'path-pattern', Values: ['/x'] }], fixed('200', 'x')).catch((e: Error) => e);
    assert.equal((dup as Error).name, 'PriorityInUseException');
    const rules = await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    assert.deepEqual(rules.Rules!.map((r) => r.Priority), ['1', '10', '20', '30', '40', '50', '60', '70', '80', 'default']);
    assert.equal(rules.Rules!.at(-1)!.IsDefault, true);
    const teapotRule = rules.Rules!.find((r) => r.Priority === '20')!;
    await elb.send(new ModifyRuleCommand({ RuleArn: teapotRule.RuleArn, Actions: fixed('503', 'changed') }));
    assert.equal((await get('/fixed/other')).text(), 'changed');
  });

  test('removing the function permission after registration turns requests into 502s', async () => {
    assert.equal((await get('/slow/alb-single')).status, 202);
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'alb-slow', StatementId: 'elb' }));
    assert.equal((await get('/slow/alb-single')).status, 502);
  });

  test('a listener keeps its port and configuration across a restart', async () => {
    await server.restart();
    const res = await get('/fixed/other');
    assert.equal(res.status, 503);
    assert.equal(res.text(), 'changed');
    assert.equal((await get('/alb-single')).status, 202);
    const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    assert.equal(listeners.Listeners![0]!.Port, port);
    const deleted = await cli('delete-load-balancer', '--load-balancer-arn', lbArn);
    assert.equal(deleted.code, 0, deleted.stderr);
    await assert.rejects(get('/'), /ECONNREFUSED/);
  });
});
