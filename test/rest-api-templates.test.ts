import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  APIGatewayClient, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, UpdateIntegrationCommand, UpdateIntegrationResponseCommand,
  UpdateMethodCommand, UpdateMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';
import { awsCli, doorRequest } from './support/http-doors.js';
import { awsCliSkip } from './support/cli.js';

const ACCOUNT = '000000000000';
const fnUri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}/invocations`;

/** Answers with the event it got; `fail` in the event throws an Error with that message. */
const ECHO_ZIP = makeZip({
  'index.js': `
exports.handler = async (event) => {
  if (event && event.fail) throw new Error(event.fail);
  return { got: event, items: [{ n: 1 }, { n: 2 }], note: 'say "hi"' };
};
`,
});

/** A request template using most of the VTL subset: $input.json/path/params/body, $context, $stageVariables, $util, #set/#if/#foreach. */
const REQUEST_TEMPLATE = `#set($body = $input.path('$'))
{
  "name": $input.json('$.name'),
  "firstTag": "$input.path('$.tags[0]')",
  "id": "$input.params('id')",
  "q": "$input.params('q')",
  "hdr": "$input.params('X-Thing')",
  "stage": "$context.stage",
  "method": "$context.httpMethod",
  "resourcePath": "$context.resourcePath",
  "requestId": "$context.requestId",
  "ip": "$context.identity.sourceIp",
  "color": "$stageVariables.color",
  "escaped": "$util.escapeJavaScript($body.quote)",
  "parsed": "$util.parseJson($input.path('$.embedded')).k",
  "size": #if($body.tags.size() > 1)"many"#else"few"#end,
  "tags": [#foreach($t in $body.tags)"$t"#if($foreach.hasNext),#end#end],
  "queryKeys": "#foreach($k in $input.params().querystring.keySet())$k;#end",
  "raw": $input.body#if($body.fail),
  "fail": "$body.fail"#end
}`;

describe('API Gateway REST APIs: AWS (non-proxy Lambda) and HTTP_PROXY integrations', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let apigw: APIGatewayClient;
  let port: number;
  let apiId: string;
  let backend: Server;
  const host = () => `${apiId}.execute-api.localhost:${port}`;

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    port = server.lambkin.port;
    apigw = new APIGatewayClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'tpl-fn', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: ECHO_ZIP }, Timeout: 30 }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'tpl-fn' });
    // A backend for HTTP_PROXY on loopback: says what it got.
    backend = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(req.url?.includes('teapot') ? 418 : 200, { 'content-type': 'application/json', 'x-backend': 'yes' });
        res.end(JSON.stringify({ method: req.method, url: req.url, thing: req.headers['x-thing'] ?? null, body: Buffer.concat(chunks).toString() }));
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const backendPort = (backend.address() as AddressInfo).port;

    const api = await apigw.send(new CreateRestApiCommand({ name: 'templates' }));
    apiId = api.id!;
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'tpl-fn', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/*`,
    }));
    // POST /items/{id} → AWS integration with templates; errors mapped by selectionPattern.
    const items = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId!, pathPart: 'items' }));
    const item = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: items.id!, pathPart: '{id}' }));
    const on = { restApiId: apiId, resourceId: item.id!, httpMethod: 'POST' };
    await apigw.send(new PutMethodCommand({ ...on, authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({
      ...on, type: 'AWS', integrationHttpMethod: 'POST', uri: fnUri('tpl-fn'), passthroughBehavior: 'NEVER',
      requestTemplates: { 'application/json': REQUEST_TEMPLATE },
    }));
    for (const statusCode of ['200', '400', '404']) {
      await apigw.send(new PutMethodResponseCommand({ ...on, statusCode, responseParameters: { 'method.response.header.X-Got-Name': false } }));
    }
    await apigw.send(new PutIntegrationResponseCommand({
      ...on, statusCode: '200', responseParameters: { 'method.response.header.X-Got-Name': 'integration.response.body.got.name' },
      responseTemplates: { 'application/json': '{"echo": $input.json(\'$.got\'), "count": $input.path(\'$.items\').size(), "note": "$util.escapeJavaScript($input.path(\'$.note\'))"}' },
    }));
    await apigw.send(new PutIntegrationResponseCommand({
      ...on, statusCode: '400', selectionPattern: 'Bad.*',
      responseTemplates: { 'application/json': '{"error": $input.json(\'$.errorMessage\'), "type": "$input.path(\'$.errorType\')"}' },
    }));
    // No template: the error document passes through.
    await apigw.send(new PutIntegrationResponseCommand({ ...on, statusCode: '404', selectionPattern: '.*not found.*' }));

    // GET /plain → AWS integration without templates and with no default response.
    const plain = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId!, pathPart: 'plain' }));
    const onPlain = { restApiId: apiId, resourceId: plain.id!, httpMethod: 'POST' };
    await apigw.send(new PutMethodCommand({ ...onPlain, authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ ...onPlain, type: 'AWS', integrationHttpMethod: 'POST', uri: fnUri('tpl-fn') }));
    await apigw.send(new PutMethodResponseCommand({ ...onPlain, statusCode: '500' }));
    await apigw.send(new PutIntegrationResponseCommand({ ...onPlain, statusCode: '500', selectionPattern: '.+' }));

    // ANY /proxied/{proxy+} → HTTP_PROXY to the loopback backend.
    const proxied = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId!, pathPart: 'proxied' }));
    const proxy = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: proxied.id!, pathPart: '{proxy+}' }));
    await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: proxy.id!, httpMethod: 'ANY', authorizationType: 'NONE', requestParameters: { 'method.request.path.proxy': true } }));
    await apigw.send(new PutIntegrationCommand({
      restApiId: apiId, resourceId: proxy.id!, httpMethod: 'ANY', type: 'HTTP_PROXY', integrationHttpMethod: 'ANY',
      uri: `http://127.0.0.1:${backendPort}/base/{proxy}`, requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    }));
    // POST /orders/{id} → HTTP (non-proxy): the template makes the backend's body, mapped parameters
    // its query and headers; the backend's status picks the integration response.
    const orders = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId!, pathPart: 'orders' }));
    const order = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: orders.id!, pathPart: '{id}' }));
    const onOrder = { restApiId: apiId, resourceId: order.id!, httpMethod: 'POST' };
    await apigw.send(new PutMethodCommand({ ...onOrder, authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({
      ...onOrder, type: 'HTTP', integrationHttpMethod: 'PUT', uri: `http://127.0.0.1:${backendPort}/orders/{orderId}`, passthroughBehavior: 'NEVER',
      requestParameters: {
        'integration.request.path.orderId': 'method.request.path.id',
        'integration.request.querystring.source': 'method.request.querystring.from',
        'integration.request.header.x-thing': "'fixed'",
      },
      requestTemplates: { 'application/json': '{"order": $input.json(\'$.item\'), "stage": "$context.stage"}' },
    }));
    const mappedHeaders = ['X-Backend', 'X-Request', 'X-Color', 'X-Method'].map((h) => `method.response.header.${h}`);
    await apigw.send(new PutMethodResponseCommand({ ...onOrder, statusCode: '200', responseParameters: Object.fromEntries(mappedHeaders.map((h) => [h, false])) }));
    await apigw.send(new PutMethodResponseCommand({ ...onOrder, statusCode: '409' }));
    await apigw.send(new PutIntegrationResponseCommand({
      ...onOrder, statusCode: '200', responseTemplates: { 'application/json': '{"backendSaw": $input.json(\'$\')}' },
      responseParameters: {
        'method.response.header.X-Backend': 'integration.response.header.x-backend', 'method.response.header.X-Request': 'context.requestId',
        'method.response.header.X-Color': 'stageVariables.color', 'method.response.header.X-Method': 'integration.response.body.method',
      },
    }));
    await apigw.send(new PutIntegrationResponseCommand({ ...onOrder, statusCode: '409', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"refused": "$input.path(\'$.url\')"}' } }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'v1', variables: { color: 'green' } }));
  });

  test('HTTP (non-proxy): the request template and mapped parameters reach the backend; its status picks the integration response', async () => {
    const res = await post('/v1/orders/7?from=web&dropped=1', { item: { sku: 'a-1', qty: 2 } });
    assert.equal(res.status, 200, res.text());
    const saw = res.json().backendSaw;
    assert.equal(saw.method, 'PUT');
    assert.equal(saw.url, '/orders/7?source=web', 'only mapped query strings go on');
    assert.equal(saw.thing, 'fixed', 'a mapped header replaces the caller\'s');
    assert.deepEqual(JSON.parse(saw.body), { order: { sku: 'a-1', qty: 2 }, stage: 'v1' });
    assert.equal(res.headers['x-backend'], 'yes', "integration.response.header: the backend's header");
    assert.equal(res.headers['x-request'], res.headers['x-amzn-requestid'], 'context.requestId');
    assert.equal(res.headers['x-color'], 'green', 'stageVariables.color');
    assert.equal(res.headers['x-method'], 'PUT', 'integration.response.body.method');

    const refused = await post('/v1/orders/teapot', { item: 1 });
    assert.equal(refused.status, 409, refused.text());
    assert.deepEqual(refused.json(), { refused: '/orders/teapot' });

    const wrongType = await post('/v1/orders/7', 'x', { 'content-type': 'text/plain' });
    assert.equal(wrongType.status, 415, 'passthroughBehavior NEVER refuses a content type without a template');
  });
  after(async () => {
    backend?.close();
    await server?.stop();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    doorRequest(port, { method: 'POST', path, host: host(), headers: { 'content-type': 'application/json', 'x-thing': 'hv', ...headers }, body: JSON.stringify(body) });

  test('the request template makes the event; the default integration response maps the answer', async () => {
    const res = await post('/v1/items/42?q=search&z=1', { name: 'widget', tags: ['a', 'b', 'c'], quote: 'say "x"', embedded: '{"k": 7}' });
    assert.equal(res.status, 200, res.text());
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers['x-got-name'], 'widget');
    const out = res.json();
    const got = out.echo;
    assert.equal(got.name, 'widget');
    assert.equal(got.firstTag, 'a');
    assert.equal(got.id, '42');
    assert.equal(got.q, 'search');
    assert.equal(got.hdr, 'hv');
    assert.equal(got.stage, 'v1');
    assert.equal(got.method, 'POST');
    assert.equal(got.resourcePath, '/items/{id}');
    assert.equal(got.requestId, res.headers['x-amzn-requestid']);
    assert.equal(got.ip, '127.0.0.1');
    assert.equal(got.color, 'green');
    assert.equal(got.escaped, 'say "x"');
    assert.equal(got.parsed, '7');
    assert.equal(got.size, 'many');
    assert.deepEqual(got.tags, ['a', 'b', 'c']);
    assert.equal(got.queryKeys, 'q;z;');
    assert.equal(got.raw.name, 'widget');
    assert.equal(out.count, 2);
    assert.equal(out.note, 'say "hi"');
  });

  test('a function error is mapped by the selectionPattern its errorMessage matches', async () => {
    const bad = await post('/v1/items/1', { name: 'x', tags: [], embedded: '{}', fail: 'Bad input: name' });
    assert.equal(bad.status, 400, bad.text());
    assert.deepEqual(bad.json(), { error: 'Bad input: name', type: 'Error' });
    const missing = await post('/v1/items/1', { name: 'x', tags: [], embedded: '{}', fail: 'item not found' });
    assert.equal(missing.status, 404);
    assert.equal(missing.json().errorMessage, 'item not found');
    assert.equal(missing.json().errorType, 'Error');
    // No pattern matches: the default (200) response maps the error document, as AWS does.
    const other = await post('/v1/items/1', { name: 'x', tags: [], embedded: '{}', fail: 'Something else' });
    assert.equal(other.status, 200);
  });

  test('passthrough NEVER refuses a content type without a template; no default response is a 500', async () => {
    const res = await post('/v1/items/1', 'x', { 'content-type': 'text/plain' });
    assert.equal(res.status, 415);
    assert.deepEqual(res.json(), { message: 'Unsupported Media Type' });
    assert.equal(res.headers['x-amzn-errortype'], 'UnsupportedMediaTypeException');
    // WHEN_NO_MATCH (the default) passes the body through; a success with only an error response mapped is a 500.
    const plain = await post('/v1/plain', { hello: 'there' });
    assert.equal(plain.status, 500);
    assert.deepEqual(plain.json(), { message: 'Internal server error' });
    const failed = await post('/v1/plain', { fail: 'boom' });
    assert.equal(failed.status, 500);
    assert.equal(failed.json().errorMessage, 'boom');
  });

  test('PutIntegrationResponse: responseParameters must name a header the method response declares, from a source API Gateway reads', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'mapping-checks' }));
    const on = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
    await apigw.send(new PutMethodCommand({ ...on, authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ ...on, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw.send(new PutMethodResponseCommand({ ...on, statusCode: '200', responseParameters: { 'method.response.header.X-Ok': true } }));
    const refused = async (responseParameters: Record<string, string>) =>
      apigw.send(new PutIntegrationResponseCommand({ ...on, statusCode: '200', responseParameters })).then(() => assert.fail('expected BadRequestException'), (e: Error) => e);
    let e = await refused({ 'method.response.header.X-Undeclared': "'v'" });
    assert.equal(e.name, 'BadRequestException');
    assert.equal(e.message, 'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: method.response.header.X-Undeclared]');
    e = await refused({ 'method.response.header.X-Ok': 'unquoted' });
    assert.equal(e.message, 'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: unquoted]');
    e = await refused({ 'method.response.header.X-Ok': 'method.request.header.Origin' });
    assert.equal(e.message, 'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: method.request.header.Origin]');
    const ok = await apigw.send(new PutIntegrationResponseCommand({ ...on, statusCode: '200', responseParameters: { 'method.response.header.X-Ok': 'integration.response.header.Date' } }));
    assert.deepEqual(ok.responseParameters, { 'method.response.header.X-Ok': 'integration.response.header.Date' });
  });

  test('UpdateMethod, UpdateMethodResponse, UpdateIntegration, UpdateIntegrationResponse patch what the next deployment serves', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'patched' }));
    const on = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
    await apigw.send(new PutMethodCommand({ ...on, authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ ...on, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw.send(new PutMethodResponseCommand({ ...on, statusCode: '200' }));
    await apigw.send(new PutMethodResponseCommand({ ...on, statusCode: '418' }));
    await apigw.send(new PutIntegrationResponseCommand({ ...on, statusCode: '200', responseTemplates: { 'application/json': '{"v":1}' } }));
    await apigw.send(new PutIntegrationResponseCommand({ ...on, statusCode: '418', selectionPattern: '418' }));
    const get = () => doorRequest(port, { path: '/live/', host: `${api.id}.execute-api.localhost:${port}` });
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'live' }));
    assert.deepEqual((await get()).json(), { v: 1 });

    const method = await apigw.send(new UpdateMethodCommand({ ...on, patchOperations: [{ op: 'replace', path: '/operationName', value: 'ReadRoot' }, { op: 'add', path: '/requestParameters/method.request.header.X-Mode', value: 'false' }] }));
    assert.deepEqual([method.operationName, method.requestParameters, Object.keys(method.methodResponses ?? {}).sort()], ['ReadRoot', { 'method.request.header.X-Mode': false }, ['200', '418']]);
    const response = await apigw.send(new UpdateMethodResponseCommand({ ...on, statusCode: '418', patchOperations: [{ op: 'add', path: '/responseParameters/method.response.header.X-Teapot', value: 'true' }] }));
    assert.deepEqual(response.responseParameters, { 'method.response.header.X-Teapot': true });
    const integration = await apigw.send(new UpdateIntegrationCommand({ ...on, patchOperations: [{ op: 'replace', path: '/requestTemplates/application~1json', value: '{"statusCode": 418}' }] }));
    assert.deepEqual([integration.requestTemplates, Object.keys(integration.integrationResponses ?? {}).sort()], [{ 'application/json': '{"statusCode": 418}' }, ['200', '418']]);
    const mapped = await apigw.send(new UpdateIntegrationResponseCommand({
      ...on, statusCode: '418', patchOperations: [{ op: 'add', path: '/responseParameters/method.response.header.X-Teapot', value: "'short and stout'" }, { op: 'replace', path: '/responseTemplates/application~1json', value: '{"teapot":true}' }],
    }));
    assert.deepEqual(mapped.responseTemplates, { 'application/json': '{"teapot":true}' });
    assert.deepEqual((await get()).json(), { v: 1 }, 'the stage serves its deployment until the next one');
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'live' }));
    const teapot = await get();
    assert.equal(teapot.status, 418);
    assert.deepEqual(teapot.json(), { teapot: true });
    assert.equal(teapot.headers['x-teapot'], 'short and stout');

    // Checked as Put* checks: an undeclared header, a bad timeout, an unknown path.
    const refused = (p: Promise<unknown>) => p.then(() => assert.fail('expected BadRequestException'), (e: Error) => e);
    let e = await refused(apigw.send(new UpdateIntegrationResponseCommand({ ...on, statusCode: '200', patchOperations: [{ op: 'add', path: '/responseParameters/method.response.header.X-Nope', value: "'v'" }] })));
    assert.match(e.message, /Invalid mapping expression parameter specified: method\.response\.header\.X-Nope/);
    e = await refused(apigw.send(new UpdateIntegrationCommand({ ...on, patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '10' }] })));
    assert.equal(e.message, 'Timeout should be between 50 ms and 29000 ms');
    e = await refused(apigw.send(new UpdateMethodCommand({ ...on, patchOperations: [{ op: 'replace', path: '/httpMethod', value: 'PUT' }] })));
    assert.equal(e.name, 'BadRequestException');
    assert.match(e.message, /^Invalid patch path '\/httpMethod' specified for op 'replace'/);
  });

  test('HTTP_PROXY forwards method, path, query, headers and body, and returns the answer as it is', async () => {
    const res = await doorRequest(port, { method: 'PUT', path: '/v1/proxied/a/b?x=1', host: host(), headers: { 'x-thing': 'hv' }, body: 'payload' });
    assert.equal(res.status, 200, res.text());
    assert.equal(res.headers['x-backend'], 'yes');
    assert.deepEqual(res.json(), { method: 'PUT', url: '/base/a/b?x=1', thing: 'hv', body: 'payload' });
    const teapot = await doorRequest(port, { path: '/v1/proxied/teapot', host: host() });
    assert.equal(teapot.status, 418);
  });

  test('AWS CLI: put-integration of type AWS with a template, and an integration response', { skip: awsCliSkip }, async () => {
    const cli = async (args: string[]) => {
      const out = await awsCli(server.url, ['apigateway', ...args]);
      assert.equal(out.code, 0, out.stderr);
      return out.stdout ? out.json() : {};
    };
    const api = await cli(['create-rest-api', '--name', 'cli-tpl']);
    const r = ['--rest-api-id', api.id, '--resource-id', api.rootResourceId, '--http-method', 'GET'];
    await cli(['put-method', ...r, '--authorization-type', 'NONE']);
    await cli(['put-integration', ...r, '--type', 'AWS', '--integration-http-method', 'POST', '--uri', fnUri('tpl-fn'),
      '--request-templates', JSON.stringify({ 'application/json': '{"who": "$input.params(\'who\')"}' })]);
    await cli(['put-method-response', ...r, '--status-code', '200']);
    const ir = await cli(['put-integration-response', ...r, '--status-code', '200', '--response-templates', JSON.stringify({ 'application/json': '$input.json(\'$.got\')' })]);
    assert.equal(ir.statusCode, '200');
    const integration = await cli(['get-integration', ...r]);
    assert.equal(integration.type, 'AWS');
    assert.equal(integration.integrationResponses['200'].statusCode, '200');
    await cli(['create-deployment', '--rest-api-id', api.id, '--stage-name', 'dev']);
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'tpl-fn', StatementId: 'cli', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${api.id}/*`,
    }));
    const res = await doorRequest(port, { path: '/dev/?who=ann', host: `${api.id}.execute-api.localhost:${port}` });
    assert.equal(res.status, 200, res.text());
    assert.deepEqual(res.json(), { who: 'ann' });
  });
});
