import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  APIGatewayClient, CreateAuthorizerCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, DeleteRestApiCommand,
  GetAuthorizerCommand, GetDeploymentsCommand, GetMethodCommand, GetResourcesCommand, UpdateAuthorizerCommand, UpdateResourceCommand, GetRestApiCommand, GetRestApisCommand, GetStageCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, UpdateStageCommand, DeleteDeploymentCommand, CreateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';
import { awsCli, DOOR_HANDLER_ZIP, doorRequest } from './support/http-doors.js';
import { awsCliSkip } from './support/cli.js';

const ACCOUNT = '000000000000';
const fnUri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}/invocations`;

/** TOKEN authorizer: `allow` → Allow (with context), `deny` → Deny, anything else → Unauthorized. */
const AUTHORIZER_ZIP = makeZip({
  'index.js': `
exports.handler = async (event) => {
  const token = event.authorizationToken;
  if (token !== 'allow' && token !== 'deny') throw new Error('Unauthorized');
  return {
    principalId: 'user-1',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: token === 'allow' ? 'Allow' : 'Deny', Resource: event.methodArn }] },
    context: { tier: 'gold', n: 3, seen: event.type + ' ' + event.methodArn },
  };
};
`,
});

/** REQUEST authorizer: allows when the x-key header is `open`, and says what it was given. */
const REQUEST_AUTHORIZER_ZIP = makeZip({
  'index.js': `
exports.handler = async (event) => ({
  principalId: 'req-user',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.headers['x-key'] === 'open' ? 'Allow' : 'Deny', Resource: event.methodArn.split('/').slice(0, 2).join('/') + '/*' }] },
  context: { type: event.type, q: event.queryStringParameters ? event.queryStringParameters.q : 'none', resource: event.resource },
});
`,
});

type Failure = Error & { $metadata: { httpStatusCode: number } };
const failure = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: Failure) => e);

describe('API Gateway REST APIs', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let apigw: APIGatewayClient;
  let port: number;
  let apiId: string;
  let rootId: string;
  let proxyId: string;
  const host = (id: string) => `${id}.execute-api.localhost:${port}`;

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    port = server.lambkin.port;
    apigw = new APIGatewayClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    for (const [name, zip] of [['rest-fn', DOOR_HANDLER_ZIP], ['rest-denied', DOOR_HANDLER_ZIP], ['rest-auth', AUTHORIZER_ZIP], ['rest-req-auth', REQUEST_AUTHORIZER_ZIP]] as const) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip }, Timeout: 30 }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    }
    const api = await apigw.send(new CreateRestApiCommand({ name: 'shop', description: 'REST', binaryMediaTypes: ['application/octet-stream'] }));
    apiId = api.id!;
    rootId = api.rootResourceId!;
    // The permission AWS's console adds for an ANY method on /{proxy+}: any stage, any verb.
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'rest-fn', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/*/*/{proxy+}`,
    }));
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'rest-auth', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/authorizers/*`,
    }));
    const proxy = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: '{proxy+}' }));
    proxyId = proxy.id!;
    await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: proxyId, httpMethod: 'ANY', authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: proxyId, httpMethod: 'ANY', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: fnUri('rest-fn') }));

    // GET /denied → a function that gave API Gateway no permission.
    const denied = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'denied' }));
    await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: denied.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: denied.id!, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: fnUri('rest-denied') }));

    // OPTIONS /cors → MOCK with CORS headers, the usual preflight setup.
    const cors = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'cors' }));
    await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: cors.id!, httpMethod: 'OPTIONS', authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: cors.id!, httpMethod: 'OPTIONS', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: cors.id!, httpMethod: 'OPTIONS', statusCode: '200', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': true } }));
    await apigw.send(new PutIntegrationResponseCommand({
      restApiId: apiId, resourceId: cors.id!, httpMethod: 'OPTIONS', statusCode: '200',
      responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" }, responseTemplates: { 'application/json': '{"stage":"$context.stage","color":"$stageVariables.color"}' },
    }));

    // GET /secure/{id} → TOKEN authorizer in front of the proxy function.
    const authorizer = await apigw.send(new CreateAuthorizerCommand({ restApiId: apiId, name: 'tok', type: 'TOKEN', authorizerUri: fnUri('rest-auth'), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0 }));
    const secure = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'secure' }));
    const secureId = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: secure.id!, pathPart: '{id}' }));
    await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: secureId.id!, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: authorizer.id! }));
    await apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: secureId.id!, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: fnUri('rest-fn') }));
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'rest-fn', StatementId: 'apigw-secure', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/*/GET/secure/{id}`,
    }));

    // GET /req → REQUEST authorizer (cached 300 s per x-key value) in front of the proxy function.
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'rest-req-auth', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/authorizers/*`,
    }));
    const requestAuthorizer = await apigw.send(new CreateAuthorizerCommand({ restApiId: apiId, name: 'req', type: 'REQUEST', authorizerUri: fnUri('rest-req-auth'), identitySource: 'method.request.header.x-key' }));
    const req = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'req' }));
    await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: req.id!, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: requestAuthorizer.id! }));
    await apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: req.id!, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: fnUri('rest-fn') }));
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'rest-fn', StatementId: 'apigw-req', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/*/GET/req`,
    }));

    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { color: 'blue' } }));
  });
  after(() => server.stop());

  test('control plane: shapes, the root resource, embed=methods and AWS errors', async () => {
    const api = await apigw.send(new GetRestApiCommand({ restApiId: apiId }));
    assert.equal(api.name, 'shop');
    assert.ok(api.createdDate instanceof Date && Math.abs(api.createdDate.getTime() - Date.now()) < 600_000);
    assert.deepEqual(api.endpointConfiguration?.types, ['EDGE']);
    assert.ok((await apigw.send(new GetRestApisCommand({}))).items!.some((a) => a.id === apiId));
    const plain = await apigw.send(new GetResourcesCommand({ restApiId: apiId }));
    assert.deepEqual(plain.items!.map((r) => r.path).sort(), ['/', '/cors', '/denied', '/req', '/secure', '/secure/{id}', '/{proxy+}']);
    assert.deepEqual(plain.items!.find((r) => r.id === proxyId)!.resourceMethods, { ANY: {} });
    const embedded = await apigw.send(new GetResourcesCommand({ restApiId: apiId, embed: ['methods'] }));
    const any = embedded.items!.find((r) => r.id === proxyId)!.resourceMethods!.ANY!;
    assert.equal(any.methodIntegration?.type, 'AWS_PROXY');
    assert.equal(any.methodIntegration?.timeoutInMillis, 29000);

    const missing = await failure(apigw.send(new GetRestApiCommand({ restApiId: 'nope123456' })));
    assert.equal(missing.name, 'NotFoundException');
    assert.equal(missing.message, `Invalid API identifier specified ${ACCOUNT}:nope123456`);
    const dup = await failure(apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'cors' })));
    assert.equal(dup.name, 'ConflictException');
    assert.equal(dup.message, 'Another resource with the same parent already has this name: cors');
    const bad = await failure(apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'a b' })));
    assert.equal(bad.name, 'BadRequestException');
    const sibling = await failure(apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: '{other}' })));
    assert.match(sibling.message, /already has a variable path part/);
    const below = await failure(apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: proxyId, pathPart: 'x' })));
    assert.match(below.message, /greedy path variable/);
    const again = await failure(apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: proxyId, httpMethod: 'ANY', authorizationType: 'NONE' })));
    assert.equal(again.name, 'ConflictException');
    const wrongUri = await failure(apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: proxyId, httpMethod: 'ANY', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: 'arn:aws:s3:::bucket' })));
    assert.equal(wrongUri.message, "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
    const stage = await apigw.send(new GetStageCommand({ restApiId: apiId, stageName: 'prod' }));
    assert.deepEqual(stage.variables, { color: 'blue' });
    const deployments = await apigw.send(new GetDeploymentsCommand({ restApiId: apiId }));
    assert.equal(deployments.items![0]!.id, stage.deploymentId);
    const inUse = await failure(apigw.send(new DeleteDeploymentCommand({ restApiId: apiId, deploymentId: stage.deploymentId! })));
    assert.equal(inUse.message, 'Active stages pointing to this deployment must be moved or deleted');
    const exists = await failure(apigw.send(new CreateStageCommand({ restApiId: apiId, stageName: 'prod', deploymentId: stage.deploymentId! })));
    assert.equal(exists.name, 'ConflictException');
    const empty = await apigw.send(new CreateRestApiCommand({ name: 'empty' }));
    const nothing = await failure(apigw.send(new CreateDeploymentCommand({ restApiId: empty.id!, stageName: 'x' })));
    assert.equal(nothing.message, "The REST API doesn't contain any methods");
  });

  test('{proxy+} to Lambda: the payload 1.0 REST event', async () => {
    const res = await doorRequest(port, { method: 'POST', path: '/prod/hello/world?name=me&x=1&x=2', host: host(apiId), headers: { 'content-type': 'application/json', 'x-dup': ['p', 'q'] }, body: '{"a":1}' });
    assert.equal(res.status, 200);
    assert.ok(res.headers['x-amzn-requestid']);
    assert.ok(res.headers['x-amz-apigw-id']);
    const event = res.json();
    assert.equal(event.version, undefined);
    assert.equal(event.resource, '/{proxy+}');
    assert.equal(event.path, '/hello/world');
    assert.equal(event.httpMethod, 'POST');
    assert.deepEqual(event.pathParameters, { proxy: 'hello/world' });
    assert.deepEqual(event.queryStringParameters, { name: 'me', x: '1,2' });
    assert.deepEqual(event.multiValueQueryStringParameters, { name: ['me'], x: ['1', '2'] });
    assert.deepEqual(event.multiValueHeaders['x-dup'], ['p', 'q']);
    assert.deepEqual(event.stageVariables, { color: 'blue' });
    assert.equal(event.body, '{"a":1}');
    assert.equal(event.isBase64Encoded, false);
    const ctx = event.requestContext;
    assert.equal(ctx.accountId, ACCOUNT);
    assert.equal(ctx.apiId, apiId);
    assert.equal(ctx.resourceId, proxyId);
    assert.equal(ctx.resourcePath, '/{proxy+}');
    assert.equal(ctx.path, '/prod/hello/world');
    assert.equal(ctx.stage, 'prod');
    assert.equal(ctx.httpMethod, 'POST');
    assert.equal(ctx.domainName, `${apiId}.execute-api.localhost`);
    assert.equal(ctx.identity.sourceIp, '127.0.0.1');
    assert.equal(ctx.identity.apiKey, null);
    assert.equal(ctx.authorizer, null);
    // A binary media type of the API arrives base64; the function's base64 answer goes out as bytes.
    const bytes = Buffer.from([9, 0, 255, 128]);
    const echoed = await doorRequest(port, { method: 'POST', path: '/prod/echo-binary', host: host(apiId), headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    assert.deepEqual(echoed.body, bytes);
  });

  test('path-style URL, stage variables updated without a deployment, multi-value response headers', async () => {
    await apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'prod', patchOperations: [{ op: 'replace', path: '/variables/color', value: 'green' }] }));
    const res = await fetch(`${server.url}/_lambkin/apis/${apiId}/prod/items/7`);
    assert.equal(res.status, 200);
    const event = (await res.json()) as Record<string, any>;
    assert.deepEqual(event.stageVariables, { color: 'green' });
    assert.equal(event.path, '/items/7');
    assert.equal(event.requestContext.domainName, `${apiId}.execute-api.localhost`);
    const multi = await doorRequest(port, { path: '/prod/multi', host: host(apiId) });
    assert.deepEqual(multi.headers['set-cookie'], ['a=1', 'b=2']);
  });

  test("AWS's answers: unknown route 403, unknown stage 403, function error 502, no permission 500", async () => {
    const root = await doorRequest(port, { path: '/prod', host: host(apiId) });
    assert.equal(root.status, 403);
    assert.deepEqual(root.json(), { message: 'Missing Authentication Token' });
    assert.equal(root.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
    const corsGet = await doorRequest(port, { path: '/prod/cors', host: host(apiId) });
    assert.equal(corsGet.status, 403);
    const stage = await doorRequest(port, { path: '/nostage/hello', host: host(apiId) });
    assert.equal(stage.status, 403);
    assert.deepEqual(stage.json(), { message: 'Forbidden' });
    for (const path of ['/prod/throw', '/prod/malformed']) {
      const res = await doorRequest(port, { path, host: host(apiId) });
      assert.equal(res.status, 502, path);
      assert.deepEqual(res.json(), { message: 'Internal server error' });
    }
    const denied = await doorRequest(port, { path: '/prod/denied', host: host(apiId) });
    assert.equal(denied.status, 500);
    assert.deepEqual(denied.json(), { message: 'Internal server error' });
  });

  test('MOCK integration: status from the request template, headers and body from the integration response', async () => {
    const res = await doorRequest(port, { method: 'OPTIONS', path: '/prod/cors', host: host(apiId) });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.deepEqual(res.json(), { stage: 'prod', color: 'green' });
  });

  test('TOKEN authorizer: 401 without a token, 403 on Deny, Allow passes principalId and context', async () => {
    const none = await doorRequest(port, { path: '/prod/secure/5', host: host(apiId) });
    assert.equal(none.status, 401);
    assert.deepEqual(none.json(), { message: 'Unauthorized' });
    const wrong = await doorRequest(port, { path: '/prod/secure/5', host: host(apiId), headers: { authorization: 'nonsense' } });
    assert.equal(wrong.status, 401);
    const deny = await doorRequest(port, { path: '/prod/secure/5', host: host(apiId), headers: { authorization: 'deny' } });
    assert.equal(deny.status, 403);
    assert.deepEqual(deny.json(), { message: 'User is not authorized to access this resource' });
    const allow = await doorRequest(port, { path: '/prod/secure/5', host: host(apiId), headers: { authorization: 'allow' } });
    assert.equal(allow.status, 200);
    const event = allow.json();
    assert.deepEqual(event.pathParameters, { id: '5' });
    assert.equal(event.resource, '/secure/{id}');
    assert.equal(event.requestContext.authorizer.principalId, 'user-1');
    assert.equal(event.requestContext.authorizer.tier, 'gold');
    assert.equal(event.requestContext.authorizer.n, 3);
    assert.equal(event.requestContext.authorizer.seen, `TOKEN arn:aws:execute-api:us-east-1:${ACCOUNT}:${apiId}/prod/GET/secure/5`);
  });

  test('REQUEST authorizer: every identity source required, the request reaches it, results cached by identity', async () => {
    assert.equal((await doorRequest(port, { path: '/prod/req', host: host(apiId) })).status, 401);
    const closed = await doorRequest(port, { path: '/prod/req', host: host(apiId), headers: { 'x-key': 'closed' } });
    assert.equal(closed.status, 403);
    const open = await doorRequest(port, { path: '/prod/req?q=1', host: host(apiId), headers: { 'x-key': 'open' } });
    assert.equal(open.status, 200);
    const authorizer = open.json().requestContext.authorizer;
    assert.deepEqual([authorizer.principalId, authorizer.type, authorizer.q, authorizer.resource], ['req-user', 'REQUEST', '1', '/req']);
    const invocations = async () => ((await (await fetch(`${server.url}/_lambkin/invocations?function=rest-req-auth&limit=100`)).json()) as { invocations: unknown[] }).invocations.length;
    const before = await invocations();
    // Same x-key: the cached policy answers (the query differs, the cached context says q=1).
    const again = await doorRequest(port, { path: '/prod/req?q=2', host: host(apiId), headers: { 'x-key': 'open' } });
    assert.equal(again.status, 200);
    assert.equal(again.json().requestContext.authorizer.q, '1');
    assert.equal(await invocations(), before);
  });

  test('COGNITO_USER_POOLS authorizers are stored and updated as AWS validates them; their methods refuse every caller with 401', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'cognito' }));
    const pool = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_AbCdEf123`;
    const base = { restApiId: api.id!, name: 'users', type: 'COGNITO_USER_POOLS' as const, identitySource: 'method.request.header.Authorization' };
    const created = await apigw.send(new CreateAuthorizerCommand({ ...base, providerARNs: [pool] }));
    assert.deepEqual(
      { type: created.type, providerARNs: created.providerARNs, authType: created.authType, ttl: created.authorizerResultTtlInSeconds, uri: created.authorizerUri },
      { type: 'COGNITO_USER_POOLS', providerARNs: [pool], authType: 'cognito_user_pools', ttl: 300, uri: undefined },
    );
    let e = await failure(apigw.send(new CreateAuthorizerCommand({ ...base, providerARNs: ['arn:aws:cognito-identity:us-east-1:000000000000:identitypool/us-east-1:x'] })));
    assert.equal(e.name, 'BadRequestException');
    assert.match(e.message, /^ProviderARNs need to be valid Cognito Userpools\. Invalid ARNs-\narn:aws:cognito-identity:/);
    e = await failure(apigw.send(new CreateAuthorizerCommand({ ...base, providerARNs: [pool], identitySource: undefined })));
    assert.equal(e.name, 'BadRequestException');

    // UpdateAuthorizer: another pool added, the TTL changed; a bad TTL is refused and nothing changes.
    const other = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Other99`;
    const updated = await apigw.send(new UpdateAuthorizerCommand({
      restApiId: api.id!, authorizerId: created.id!,
      patchOperations: [{ op: 'add', path: `/providerARNs/${other.replace(/\//g, '~1')}` }, { op: 'replace', path: '/authorizerResultTtlInSeconds', value: '60' }],
    }));
    assert.deepEqual([updated.providerARNs, updated.authorizerResultTtlInSeconds], [[pool, other], 60]);
    e = await failure(apigw.send(new UpdateAuthorizerCommand({ restApiId: api.id!, authorizerId: created.id!, patchOperations: [{ op: 'replace', path: '/authorizerResultTtlInSeconds', value: '7200' }] })));
    assert.equal(e.name, 'BadRequestException');
    e = await failure(apigw.send(new UpdateAuthorizerCommand({ restApiId: api.id!, authorizerId: created.id!, patchOperations: [{ op: 'replace', path: '/id', value: 'x' }] })));
    assert.match(e.message, /^Invalid patch path '\/id' specified for op 'replace'/);
    assert.equal((await apigw.send(new GetAuthorizerCommand({ restApiId: api.id!, authorizerId: created.id! }))).authorizerResultTtlInSeconds, 60);

    // A method behind it keeps its scopes; a CUSTOM method cannot use a Cognito authorizer.
    const on = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
    e = await failure(apigw.send(new PutMethodCommand({ ...on, authorizationType: 'CUSTOM', authorizerId: created.id! })));
    assert.equal(e.name, 'BadRequestException');
    await apigw.send(new PutMethodCommand({ ...on, authorizationType: 'COGNITO_USER_POOLS', authorizerId: created.id!, authorizationScopes: ['orders/read'] }));
    assert.deepEqual((await apigw.send(new GetMethodCommand(on))).authorizationScopes, ['orders/read']);
    await apigw.send(new PutIntegrationCommand({ ...on, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw.send(new PutMethodResponseCommand({ ...on, statusCode: '200' }));
    await apigw.send(new PutIntegrationResponseCommand({ ...on, statusCode: '200' }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }));
    for (const headers of [{}, { authorization: 'eyJhbGciOiJSUzI1NiJ9.e30.sig' }] as Array<Record<string, string>>) {
      const refused = await doorRequest(port, { path: '/prod/', host: host(api.id!), headers });
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.json(), { message: 'Unauthorized' });
    }
    await apigw.send(new DeleteRestApiCommand({ restApiId: api.id! }));
  });

  test('UpdateResource renames and moves a resource, the paths below it following; checked as CreateResource checks', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'moving' }));
    const restApiId = api.id!;
    const a = await apigw.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'a' }));
    const b = await apigw.send(new CreateResourceCommand({ restApiId, parentId: a.id!, pathPart: 'b' }));
    await apigw.send(new CreateResourceCommand({ restApiId, parentId: b.id!, pathPart: '{id}' }));
    const other = await apigw.send(new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'other' }));
    const paths = async () => (await apigw.send(new GetResourcesCommand({ restApiId }))).items!.map((r) => r.path).sort();

    const renamed = await apigw.send(new UpdateResourceCommand({ restApiId, resourceId: a.id!, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'z' }] }));
    assert.deepEqual([renamed.pathPart, renamed.path], ['z', '/z']);
    assert.deepEqual(await paths(), ['/', '/other', '/z', '/z/b', '/z/b/{id}']);
    await apigw.send(new UpdateResourceCommand({ restApiId, resourceId: b.id!, patchOperations: [{ op: 'replace', path: '/parentId', value: other.id! }] }));
    assert.deepEqual(await paths(), ['/', '/other', '/other/b', '/other/b/{id}', '/z']);

    const refused = (ops: Array<{ op: 'replace'; path: string; value: string }>, resourceId = b.id!) =>
      apigw.send(new UpdateResourceCommand({ restApiId, resourceId, patchOperations: ops })).then(() => assert.fail('expected an error'), (e: Failure) => e);
    let e = await refused([{ op: 'replace', path: '/pathPart', value: 'other' }], a.id!);
    assert.equal(e.name, 'ConflictException');
    assert.equal(e.message, 'Another resource with the same parent already has this name: other');
    e = await refused([{ op: 'replace', path: '/parentId', value: b.id! }], other.id!);
    assert.equal(e.name, 'BadRequestException');
    e = await refused([{ op: 'replace', path: '/pathPart', value: 'bad part' }]);
    assert.match(e.message, /^Resource's path part only allow/);
    e = await refused([{ op: 'replace', path: '/path', value: '/x' }]);
    assert.equal(e.message, "Invalid patch path '/path' specified for op 'replace'. Must be one of: [/pathPart, /parentId]");
    await apigw.send(new DeleteRestApiCommand({ restApiId }));
  });

  test('methods, integrations and responses put on one resource at once are all kept (CloudFormation creates them in parallel)', async () => {
    const api = await apigw.send(new CreateRestApiCommand({ name: 'parallel' }));
    const root = (await apigw.send(new GetResourcesCommand({ restApiId: api.id! }))).items![0]!.id!;
    const resource = await apigw.send(new CreateResourceCommand({ restApiId: api.id!, parentId: root, pathPart: 'many' }));
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
    await Promise.all(methods.map(async (httpMethod) => {
      const on = { restApiId: api.id!, resourceId: resource.id!, httpMethod };
      await apigw.send(new PutMethodCommand({ ...on, authorizationType: 'NONE' }));
      await apigw.send(new PutIntegrationCommand({ ...on, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await Promise.all([
        apigw.send(new PutMethodResponseCommand({ ...on, statusCode: '200' })),
        apigw.send(new PutIntegrationResponseCommand({ ...on, statusCode: '200' })),
      ]);
    }));
    const stored = (await apigw.send(new GetResourcesCommand({ restApiId: api.id!, embed: ['methods'] }))).items!.find((r) => r.id === resource.id)!;
    assert.deepEqual(Object.keys(stored.resourceMethods ?? {}).sort(), [...methods].sort());
    for (const httpMethod of methods) {
      const method = await apigw.send(new GetMethodCommand({ restApiId: api.id!, resourceId: resource.id!, httpMethod }));
      assert.equal(method.methodIntegration?.type, 'MOCK', httpMethod);
      assert.deepEqual(Object.keys(method.methodResponses ?? {}), ['200'], httpMethod);
      assert.deepEqual(Object.keys(method.methodIntegration?.integrationResponses ?? {}), ['200'], httpMethod);
    }
    await apigw.send(new DeleteRestApiCommand({ restApiId: api.id! }));
  });

  test('a stage serves its deployment: later changes wait for the next one', async () => {
    const late = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'late' }));
    await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: late.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: late.id!, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: late.id!, httpMethod: 'GET', statusCode: '200' }));
    await apigw.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId: late.id!, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"late":true}' } }));
    // /late is caught by /{proxy+} until deployed: literal paths win once they exist.
    assert.equal((await doorRequest(port, { path: '/prod/late', host: host(apiId) })).json().resource, '/{proxy+}');
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
    assert.deepEqual((await doorRequest(port, { path: '/prod/late', host: host(apiId) })).json(), { late: true });
  });

  test('AWS CLI: create an API with {proxy+}, deploy a stage, call it', { skip: awsCliSkip }, async () => {
    const cli = async (args: string[]) => {
      const out = await awsCli(server.url, ['apigateway', ...args]);
      assert.equal(out.code, 0, out.stderr);
      return out.stdout ? out.json() : {};
    };
    const api = await cli(['create-rest-api', '--name', 'cli-api']);
    const resource = await cli(['create-resource', '--rest-api-id', api.id, '--parent-id', api.rootResourceId, '--path-part', '{proxy+}']);
    await cli(['put-method', '--rest-api-id', api.id, '--resource-id', resource.id, '--http-method', 'ANY', '--authorization-type', 'NONE']);
    await cli(['put-integration', '--rest-api-id', api.id, '--resource-id', resource.id, '--http-method', 'ANY', '--type', 'AWS_PROXY', '--integration-http-method', 'POST', '--uri', fnUri('rest-fn')]);
    const deployment = await cli(['create-deployment', '--rest-api-id', api.id, '--stage-name', 'dev']);
    assert.match(deployment.id, /^[a-z0-9]{6}$/);
    // No permission for this API yet: 500, then 200 once one is added.
    assert.equal((await doorRequest(port, { path: '/dev/x', host: host(api.id) })).status, 500);
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'rest-fn', StatementId: 'cli', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${api.id}/*`,
    }));
    const res = await doorRequest(port, { path: '/dev/x/y', host: host(api.id) });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json().pathParameters, { proxy: 'x/y' });
    await apigw.send(new DeleteRestApiCommand({ restApiId: api.id }));
    assert.equal((await doorRequest(port, { path: '/dev/x', host: host(api.id) })).status, 404);
  });

  test('POST /_lambkin/reset?service=apigateway removes REST APIs and their URLs stop answering', async () => {
    const before = (await apigw.send(new GetRestApisCommand({}))).items!.length;
    assert.ok(before > 0);
    const reset = await fetch(`${server.url}/_lambkin/reset?service=apigateway`, { method: 'POST' });
    assert.equal(reset.status, 200);
    assert.deepEqual(((await reset.json()) as { reset: string[] }).reset, ['apigateway']);
    assert.deepEqual((await apigw.send(new GetRestApisCommand({}))).items, []);
    assert.equal((await doorRequest(port, { path: '/prod/hello', host: host(apiId) })).status, 404);
  });
});
