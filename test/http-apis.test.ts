import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  ApiGatewayV2Client, CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteApiCommand,
  DeleteStageCommand, GetApiCommand, GetApisCommand, GetRouteCommand, GetRoutesCommand, GetStageCommand, GetStagesCommand, UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';
import { awsCli, DOOR_HANDLER_ZIP, doorRequest } from './support/http-doors.js';
import { awsCliSkip } from './support/cli.js';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function';

describe('API Gateway HTTP APIs', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let apigw: ApiGatewayV2Client;
  let port: number;
  let apiId: string;
  const host = (id: string) => `${id}.execute-api.localhost:${port}`;

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    port = server.lambkin.port;
    apigw = new ApiGatewayV2Client({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    for (const name of ['api-fn', 'api-denied']) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: DOOR_HANDLER_ZIP }, Timeout: 30 }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    }
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'api-fn', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: 'arn:aws:execute-api:us-east-1:000000000000:*/*',
    }));
    const api = await apigw.send(new CreateApiCommand({ Name: 'shop', ProtocolType: 'HTTP' }));
    apiId = api.ApiId!;
    const v2 = await apigw.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `${FN}:api-fn`, PayloadFormatVersion: '2.0' }));
    const v1 = await apigw.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `${FN}:api-fn`, PayloadFormatVersion: '1.0' }));
    const denied = await apigw.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `${FN}:api-denied`, PayloadFormatVersion: '2.0' }));
    await apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /items/{id}', Target: `integrations/${v2.IntegrationId}` }));
    await apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'ANY /v1/{proxy+}', Target: `integrations/${v1.IntegrationId}` }));
    await apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /denied', Target: `integrations/${denied.IntegrationId}` }));
    await apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${v2.IntegrationId}` }));
    await apigw.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    await apigw.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod', AutoDeploy: true, StageVariables: { color: 'blue' } }));
  });
  after(() => server.stop());

  test('CreateApi, GetApi, GetApis and GetRoutes answer in the apigatewayv2 shapes', async () => {
    const api = await apigw.send(new GetApiCommand({ ApiId: apiId }));
    assert.equal(api.Name, 'shop');
    assert.equal(api.ProtocolType, 'HTTP');
    assert.equal(api.ApiEndpoint, `http://${apiId}.execute-api.localhost:${port}`);
    assert.equal(api.RouteSelectionExpression, '$request.method $request.path');
    assert.ok(api.CreatedDate instanceof Date);
    assert.ok((await apigw.send(new GetApisCommand({}))).Items!.some((a) => a.ApiId === apiId));
    const routes = await apigw.send(new GetRoutesCommand({ ApiId: apiId }));
    assert.deepEqual(routes.Items!.map((r) => r.RouteKey).sort(), ['$default', 'ANY /v1/{proxy+}', 'GET /denied', 'GET /items/{id}']);
    const missing = await apigw.send(new GetApiCommand({ ApiId: 'nope123456' })).catch((e: Error & { $metadata: { httpStatusCode: number } }) => e);
    assert.equal((missing as Error).name, 'NotFoundException');
    assert.equal((missing as Error).message, 'Invalid API identifier specified 000000000000:nope123456');
  });

  test('payload 2.0 with pathParameters, routeKey and stage on the $default stage', async () => {
    const res = await doorRequest(port, { path: '/items/42?a=1&a=2', host: host(apiId), headers: { cookie: 'k=v' } });
    assert.equal(res.status, 200);
    assert.ok(res.headers['apigw-requestid']);
    const event = res.json();
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'GET /items/{id}');
    assert.equal(event.rawPath, '/items/42');
    assert.deepEqual(event.pathParameters, { id: '42' });
    assert.deepEqual(event.queryStringParameters, { a: '1,2' });
    assert.deepEqual(event.cookies, ['k=v']);
    assert.equal(event.stageVariables, undefined);
    assert.equal(event.requestContext.stage, '$default');
    assert.equal(event.requestContext.apiId, apiId);
    assert.equal(event.requestContext.accountId, '000000000000');
    assert.equal(event.requestContext.routeKey, 'GET /items/{id}');
    assert.equal(event.requestContext.domainName, `${apiId}.execute-api.localhost`);
  });

  test('a named stage takes its prefix and passes stageVariables; the path-style fallback works', async () => {
    const res = await fetch(`${server.url}/_lambkin/apis/${apiId}/prod/items/7`);
    assert.equal(res.status, 200);
    const event = (await res.json()) as Record<string, any>;
    assert.equal(event.requestContext.stage, 'prod');
    assert.deepEqual(event.stageVariables, { color: 'blue' });
    assert.deepEqual(event.pathParameters, { id: '7' });
    assert.equal(event.rawPath, '/prod/items/7');
  });

  test('payload 1.0: the REST proxy event, multi-value maps, greedy proxy parameter', async () => {
    const res = await doorRequest(port, { method: 'POST', path: '/v1/a/b?x=1&x=2', host: host(apiId), headers: { 'content-type': 'application/json', 'x-dup': ['p', 'q'] }, body: '{"n":1}' });
    assert.equal(res.status, 200);
    const event = res.json();
    assert.equal(event.version, '1.0');
    assert.equal(event.resource, '/v1/{proxy+}');
    assert.equal(event.path, '/v1/a/b');
    assert.equal(event.httpMethod, 'POST');
    assert.deepEqual(event.pathParameters, { proxy: 'a/b' });
    assert.deepEqual(event.multiValueQueryStringParameters, { x: ['1', '2'] });
    assert.deepEqual(event.multiValueHeaders['x-dup'], ['p', 'q']);
    assert.equal(event.headers['x-dup'], 'p,q');
    assert.equal(event.stageVariables, null);
    assert.equal(event.body, '{"n":1}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.resourcePath, '/v1/{proxy+}');
    assert.equal(event.requestContext.stage, '$default');
    assert.equal(event.requestContext.identity.sourceIp, '127.0.0.1');
    const cookies = await doorRequest(port, { path: '/v1/multi', host: host(apiId) });
    assert.deepEqual(cookies.headers['set-cookie'], ['a=1', 'b=2']);
  });

  test('$default catches the rest; errors and missing permissions are 500; binary round trip', async () => {
    assert.equal((await doorRequest(port, { path: '/anything/else', host: host(apiId) })).json().routeKey, '$default');
    for (const path of ['/throw', '/malformed', '/denied']) {
      const res = await doorRequest(port, { path, host: host(apiId) });
      assert.equal(res.status, 500, path);
      assert.deepEqual(res.json(), { message: 'Internal Server Error' });
    }
    const bytes = Buffer.from([9, 0, 255, 128]);
    const echoed = await doorRequest(port, { method: 'POST', path: '/echo-binary', host: host(apiId), headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    assert.deepEqual(echoed.body, bytes);
    assert.equal((await doorRequest(port, { path: '/x', host: host('unknownapi1') })).status, 404);
  });

  test('UpdateRoute calls at once on one route are all kept', async () => {
    const { ApiId } = await apigw.send(new CreateApiCommand({ Name: 'routes-at-once', ProtocolType: 'HTTP' }));
    const { IntegrationId } = await apigw.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `${FN}:api-fn`, PayloadFormatVersion: '2.0' }));
    for (let round = 0; round < 5; round++) {
      const { RouteId } = await apigw.send(new CreateRouteCommand({ ApiId, RouteKey: `GET /r${round}` }));
      await Promise.all([
        apigw.send(new UpdateRouteCommand({ ApiId, RouteId, RouteKey: `POST /r${round}` })),
        apigw.send(new UpdateRouteCommand({ ApiId, RouteId, Target: `integrations/${IntegrationId}` })),
      ]);
      const route = await apigw.send(new GetRouteCommand({ ApiId, RouteId }));
      assert.deepEqual([route.RouteKey, route.Target], [`POST /r${round}`, `integrations/${IntegrationId}`], `round ${round}`);
    }
    await apigw.send(new DeleteApiCommand({ ApiId }));
  });

  test('CreateStage calls at once for one name make one stage; the others are refused', async () => {
    const { ApiId } = await apigw.send(new CreateApiCommand({ Name: 'stages-at-once', ProtocolType: 'HTTP' }));
    for (let round = 0; round < 3; round++) {
      const StageName = `s${round}`;
      const results = await Promise.allSettled(
        ['a', 'b', 'c', 'd'].map((color) => apigw.send(new CreateStageCommand({ ApiId, StageName, StageVariables: { color } }))),
      );
      const created = results.filter((r) => r.status === 'fulfilled');
      assert.equal(created.length, 1, `round ${round}: ${created.length} CreateStage calls succeeded`);
      for (const r of results) if (r.status === 'rejected') await rejectsWith(Promise.reject(r.reason), 'ConflictException', 409, `Stage ${StageName} already exists`);
      const stage = await apigw.send(new GetStageCommand({ ApiId, StageName }));
      assert.deepEqual(stage.StageVariables, (created[0] as PromiseFulfilledResult<{ StageVariables?: Record<string, string> }>).value.StageVariables);
    }
    assert.equal((await apigw.send(new GetStagesCommand({ ApiId }))).Items?.length, 3);
    await apigw.send(new DeleteApiCommand({ ApiId }));
  });

  test('CreateDeployment calls for a stage deleted at the same time does not bring the stage back', async () => {
    const { ApiId } = await apigw.send(new CreateApiCommand({ Name: 'deploy-at-once', ProtocolType: 'HTTP' }));
    for (let round = 0; round < 20; round++) {
      const StageName = `d${round}`;
      await apigw.send(new CreateStageCommand({ ApiId, StageName }));
      const deploy = () => apigw.send(new CreateDeploymentCommand({ ApiId, StageName }));
      const [d1, d2, deleted, d3] = await Promise.allSettled([deploy(), deploy(), apigw.send(new DeleteStageCommand({ ApiId, StageName })), deploy()]);
      assert.equal(deleted.status, 'fulfilled');
      const deployed = [d1!, d2!, d3!];
      for (const d of deployed) if (d.status === 'rejected') await rejectsWith(Promise.reject(d.reason), 'NotFoundException', 404);
      await rejectsWith(apigw.send(new GetStageCommand({ ApiId, StageName })), 'NotFoundException', 404, `Invalid stage identifier specified ${StageName}`);
    }
    await apigw.send(new DeleteApiCommand({ ApiId }));
  });

  test('quick create with the AWS CLI: Target gives a $default route, integration and stage', { skip: awsCliSkip }, async () => {
    const out = await awsCli(server.url, ['apigatewayv2', 'create-api', '--name', 'quick', '--protocol-type', 'HTTP', '--target', `${FN}:api-fn`]);
    assert.equal(out.code, 0, out.stderr);
    const quick = out.json();
    const res = await doorRequest(port, { path: '/hello', host: host(quick.ApiId) });
    assert.equal(res.status, 200);
    assert.equal(res.json().routeKey, '$default');
    await apigw.send(new DeleteApiCommand({ ApiId: quick.ApiId }));
    assert.equal((await doorRequest(port, { path: '/hello', host: host(quick.ApiId) })).status, 404);
  });
});
