import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  APIGatewayClient, CreateApiKeyCommand, CreateAuthorizerCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand,
  CreateUsagePlanCommand, CreateUsagePlanKeyCommand, DeleteApiKeyCommand, DeleteUsagePlanKeyCommand, GetApiKeyCommand, GetApiKeysCommand,
  GetUsageCommand, GetUsagePlanCommand, GetUsagePlanKeysCommand, UpdateUsageCommand, UpdateUsagePlanCommand, GetUsagePlansCommand, PutIntegrationCommand, UpdateApiKeyCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand, CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCli, DOOR_HANDLER_ZIP, doorRequest } from './support/http-doors.js';
import { makeZip, ROLE } from './support/zip.js';
import { awsCliSkip } from './support/cli.js';

/** TOKEN authorizer that allows every call and meters it by the key its token names (`key:<value>`). */
const KEY_AUTHORIZER_ZIP = makeZip({
  'index.js': `
exports.handler = async (event) => ({
  principalId: 'caller',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] },
  ...(event.authorizationToken.startsWith('key:') ? { usageIdentifierKey: event.authorizationToken.slice(4) } : {}),
});
`,
});

type Failure = Error & { name: string; $metadata: { httpStatusCode: number } };
const failure = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: Failure) => e);

describe('API Gateway REST APIs: API keys and usage plans', () => {
  let server: TestServer;
  let apigw: APIGatewayClient;
  let apiId: string;
  const call = (stage: string, key?: string) =>
    doorRequest(server.lambkin.port, { path: `/${stage}/keyed`, host: `${apiId}.execute-api.localhost:${server.lambkin.port}`, headers: key ? { 'x-api-key': key } : {} });

  before(async () => {
    server = await startTestServer();
    apigw = new APIGatewayClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const api = await apigw.send(new CreateRestApiCommand({ name: 'keyed' }));
    apiId = api.id!;
    const res = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId!, pathPart: 'keyed' }));
    const on = { restApiId: apiId, resourceId: res.id!, httpMethod: 'GET' };
    await apigw.send(new PutMethodCommand({ ...on, authorizationType: 'NONE', apiKeyRequired: true }));
    await apigw.send(new PutIntegrationCommand({ ...on, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw.send(new PutMethodResponseCommand({ ...on, statusCode: '200' }));
    await apigw.send(new PutIntegrationResponseCommand({ ...on, statusCode: '200', responseTemplates: { 'application/json': '{"key":"$context.identity.apiKey"}' } }));
    const deployment = await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
    await apigw.send(new CreateStageCommand({ restApiId: apiId, stageName: 'beta', deploymentId: deployment.id! }));
    await apigw.send(new CreateStageCommand({ restApiId: apiId, stageName: 'open', deploymentId: deployment.id! }));
  });
  after(() => server.stop());

  test('API key and usage plan operations, with AWS errors', async () => {
    const key = await apigw.send(new CreateApiKeyCommand({ name: 'alpha', enabled: true, tags: { t: '1' } }));
    assert.match(key.id!, /^[a-z0-9]{10}$/);
    assert.match(key.value!, /^[A-Za-z0-9]{40}$/);
    assert.equal(key.enabled, true);
    const got = await apigw.send(new GetApiKeyCommand({ apiKey: key.id! }));
    assert.equal(got.value, undefined);
    assert.equal((await apigw.send(new GetApiKeyCommand({ apiKey: key.id!, includeValue: true }))).value, key.value);
    const listed = await apigw.send(new GetApiKeysCommand({ nameQuery: 'alp', includeValues: true }));
    assert.deepEqual(listed.items!.map((k) => [k.id, k.value]), [[key.id, key.value]]);
    let e = await failure(apigw.send(new GetApiKeyCommand({ apiKey: 'nope' })));
    assert.equal(e.name, 'NotFoundException');
    assert.equal(e.message, 'Invalid API Key identifier specified');
    e = await failure(apigw.send(new CreateApiKeyCommand({ name: 'short', value: 'too-short' })));
    assert.equal(e.name, 'BadRequestException');

    e = await failure(apigw.send(new CreateUsagePlanCommand({ name: 'bad', apiStages: [{ apiId, stage: 'nostage' }] })));
    assert.equal(e.name, 'NotFoundException');
    e = await failure(apigw.send(new CreateUsagePlanCommand({ name: 'bad', quota: { limit: 5, period: 'YEAR' as 'DAY' } })));
    assert.equal(e.name, 'BadRequestException');
    const plan = await apigw.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId, stage: 'open' }], throttle: { rateLimit: 100, burstLimit: 200 }, quota: { limit: 1000, period: 'MONTH' } }));
    assert.deepEqual(plan.quota, { limit: 1000, offset: 0, period: 'MONTH' });
    const planKey = await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));
    assert.deepEqual({ id: planKey.id, type: planKey.type, value: planKey.value, name: planKey.name }, { id: key.id, type: 'API_KEY', value: key.value, name: 'alpha' });
    e = await failure(apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' })));
    assert.equal(e.name, 'ConflictException');
    // A second plan on the same stage cannot take the same key.
    const other = await apigw.send(new CreateUsagePlanCommand({ name: 'q', apiStages: [{ apiId, stage: 'open' }] }));
    e = await failure(apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: other.id!, keyId: key.id!, keyType: 'API_KEY' })));
    assert.equal(e.name, 'ConflictException');
    e = await failure(apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: 'nope', keyId: key.id!, keyType: 'API_KEY' })));
    assert.equal(e.message, 'Invalid Usage Plan ID specified');
    assert.deepEqual((await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id! }))).items!.map((k) => k.id), [key.id]);
    assert.deepEqual((await apigw.send(new GetUsagePlansCommand({ keyId: key.id! }))).items!.map((p) => p.id), [plan.id]);

    // The key works on the stage its plan names; removed from the plan, it no longer does.
    assert.equal((await call('open', key.value)).status, 200);
    assert.deepEqual((await call('open', key.value)).json(), { key: key.value });
    await apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id! }));
    assert.equal((await call('open', key.value)).status, 403);
    await apigw.send(new DeleteApiKeyCommand({ apiKey: key.id! }));
    assert.equal((await failure(apigw.send(new GetApiKeyCommand({ apiKey: key.id! })))).name, 'NotFoundException');
  });

  test('apiKeyRequired: 403 without a key, with an unknown, disabled or unplanned key, or on a stage the plan does not name', async () => {
    const good = await apigw.send(new CreateApiKeyCommand({ name: 'good', enabled: true, value: 'good-key-0123456789abcdef' }));
    const disabled = await apigw.send(new CreateApiKeyCommand({ name: 'off', enabled: false }));
    const unplanned = await apigw.send(new CreateApiKeyCommand({ name: 'loose', enabled: true }));
    const plan = await apigw.send(new CreateUsagePlanCommand({ name: 'beta-only', apiStages: [{ apiId, stage: 'beta' }] }));
    for (const k of [good, disabled]) await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: k.id!, keyType: 'API_KEY' }));
    for (const [stage, key] of [['beta', undefined], ['beta', 'unknown-value-0123456789'], ['beta', disabled.value], ['beta', unplanned.value], ['prod', good.value]] as const) {
      const res = await call(stage, key);
      assert.equal(res.status, 403, `${stage} ${key}`);
      assert.deepEqual(res.json(), { message: 'Forbidden' });
      assert.equal(res.headers['x-amzn-errortype'], 'ForbiddenException');
    }
    assert.equal((await call('beta', good.value)).status, 200);
  });

  test('throttle: past the burst → 429 Too Many Requests; quota spent → 429 Limit Exceeded', async () => {
    const throttled = await apigw.send(new CreateApiKeyCommand({ name: 'throttled', enabled: true }));
    const metered = await apigw.send(new CreateApiKeyCommand({ name: 'metered', enabled: true }));
    // Refill of one request per ~3 hours: the third call of a burst of 2 is refused.
    const slow = await apigw.send(new CreateUsagePlanCommand({ name: 'slow', apiStages: [{ apiId, stage: 'prod' }], throttle: { burstLimit: 2, rateLimit: 0.0001 } }));
    await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: slow.id!, keyId: throttled.id!, keyType: 'API_KEY' }));
    const quota = await apigw.send(new CreateUsagePlanCommand({ name: 'quota', apiStages: [{ apiId, stage: 'prod' }], quota: { limit: 3, period: 'DAY' } }));
    await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: quota.id!, keyId: metered.id!, keyType: 'API_KEY' }));

    assert.equal((await call('prod', throttled.value)).status, 200);
    assert.equal((await call('prod', throttled.value)).status, 200);
    const refused = await call('prod', throttled.value);
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.json(), { message: 'Too Many Requests' });
    assert.equal(refused.headers['x-amzn-errortype'], 'TooManyRequestsException');

    for (let i = 0; i < 3; i++) assert.equal((await call('prod', metered.value)).status, 200);
    const spent = await call('prod', metered.value);
    assert.equal(spent.status, 429);
    assert.deepEqual(spent.json(), { message: 'Limit Exceeded' });
    assert.equal(spent.headers['x-amzn-errortype'], 'LimitExceededException');
  });

  test('UpdateApiKey renames and disables a key; GetUsage reports [used, remaining] per day; quota counts outlive a restart', async () => {
    const key = await apigw.send(new CreateApiKeyCommand({ name: 'counted', enabled: true }));
    const plan = await apigw.send(new CreateUsagePlanCommand({ name: 'counted', apiStages: [{ apiId, stage: 'beta' }], quota: { limit: 4, period: 'DAY' } }));
    await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));
    for (let i = 0; i < 2; i++) assert.equal((await call('beta', key.value)).status, 200);

    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const usage = await apigw.send(new GetUsageCommand({ usagePlanId: plan.id!, startDate: yesterday, endDate: today }));
    assert.deepEqual({ id: usage.usagePlanId, start: usage.startDate, end: usage.endDate, items: usage.items }, {
      id: plan.id, start: yesterday, end: today, items: { [key.id!]: [[0, 4], [2, 2]] },
    });
    const bad = await failure(apigw.send(new GetUsageCommand({ usagePlanId: plan.id!, startDate: 'soon', endDate: today })));
    assert.equal(bad.name, 'BadRequestException');

    await server.restart();
    apigw.destroy();
    apigw = new APIGatewayClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    assert.equal((await call('beta', key.value)).status, 200);
    assert.equal((await call('beta', key.value)).status, 200);
    assert.equal((await call('beta', key.value)).status, 429, 'the two requests before the restart still count against the quota of 4');

    const updated = await apigw.send(new UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: 'replace', path: '/name', value: 'renamed' }, { op: 'replace', path: '/enabled', value: 'false' }] }));
    assert.deepEqual([updated.name, updated.enabled, updated.value], ['renamed', false, undefined]);
    assert.equal((await call('beta', key.value)).status, 403, 'a disabled key is refused');
    const e = await failure(apigw.send(new UpdateApiKeyCommand({ apiKey: key.id!, patchOperations: [{ op: 'replace', path: '/value', value: 'x' }] })));
    assert.equal(e.name, 'BadRequestException');
    assert.equal(e.message, "Invalid patch path '/value' specified for op 'replace'. Must be one of: [/name, /description, /enabled, /customerId]");
  });

  test('quota offset; UpdateUsage sets what a key has left; UpdateUsagePlan patches quota, throttle and stages', async () => {
    const key = await apigw.send(new CreateApiKeyCommand({ name: 'patched', enabled: true }));
    const plan = await apigw.send(new CreateUsagePlanCommand({ name: 'patched', apiStages: [{ apiId, stage: 'open' }], quota: { limit: 5, offset: 3, period: 'DAY' } }));
    await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));
    const usagePlanId = plan.id!;
    // The offset is taken off the first period's limit: 5 - 3 = 2 requests today.
    for (let i = 0; i < 2; i++) assert.equal((await call('open', key.value)).status, 200);
    assert.equal((await call('open', key.value)).status, 429);

    const today = new Date().toISOString().slice(0, 10);
    const extended = await apigw.send(new UpdateUsageCommand({ usagePlanId, keyId: key.id!, patchOperations: [{ op: 'replace', path: '/remaining', value: '2' }] }));
    assert.deepEqual({ start: extended.startDate, items: extended.items }, { start: today, items: { [key.id!]: [[2, 2]] } });
    for (let i = 0; i < 2; i++) assert.equal((await call('open', key.value)).status, 200);
    assert.equal((await call('open', key.value)).status, 429, 'the extension is spent');
    assert.deepEqual((await apigw.send(new GetUsageCommand({ usagePlanId, startDate: today, endDate: today }))).items, { [key.id!]: [[4, 0]] });
    let e = await failure(apigw.send(new UpdateUsageCommand({ usagePlanId, keyId: 'nokey', patchOperations: [{ op: 'replace', path: '/remaining', value: '1' }] })));
    assert.equal(e.name, 'NotFoundException');
    e = await failure(apigw.send(new UpdateUsageCommand({ usagePlanId, keyId: key.id!, patchOperations: [{ op: 'replace', path: '/used', value: '1' }] })));
    assert.equal(e.message, "Invalid patch path '/used' specified for op 'replace'. Must be one of: [/remaining]");

    // A higher limit applies at once; the stage moves from open to beta.
    let updated = await apigw.send(new UpdateUsagePlanCommand({
      usagePlanId, patchOperations: [
        { op: 'replace', path: '/quota/limit', value: '100' }, { op: 'replace', path: '/name', value: 'renamed' },
        { op: 'add', path: '/apiStages', value: `${apiId}:beta` }, { op: 'remove', path: '/apiStages', value: `${apiId}:open` },
      ],
    }));
    assert.deepEqual({ name: updated.name, quota: updated.quota, stages: updated.apiStages }, { name: 'renamed', quota: { limit: 100, offset: 3, period: 'DAY' }, stages: [{ apiId, stage: 'beta' }] });
    assert.equal((await call('beta', key.value)).status, 200);
    assert.equal((await call('open', key.value)).status, 403, 'the plan no longer names the open stage');

    // A throttle added by patch: a burst of 1 refilled about every 3 hours.
    updated = await apigw.send(new UpdateUsagePlanCommand({
      usagePlanId, patchOperations: [{ op: 'replace', path: '/throttle/burstLimit', value: '1' }, { op: 'replace', path: '/throttle/rateLimit', value: '0.0001' }, { op: 'remove', path: '/quota' }],
    }));
    assert.deepEqual({ throttle: updated.throttle, quota: updated.quota }, { throttle: { burstLimit: 1, rateLimit: 0.0001 }, quota: undefined });
    assert.equal((await call('beta', key.value)).status, 200);
    assert.equal((await call('beta', key.value)).status, 429);
    assert.deepEqual((await apigw.send(new GetUsagePlanCommand({ usagePlanId }))).throttle, { burstLimit: 1, rateLimit: 0.0001 });

    e = await failure(apigw.send(new UpdateUsagePlanCommand({ usagePlanId, patchOperations: [{ op: 'replace', path: '/quota/period', value: 'YEAR' }] })));
    assert.equal(e.message, 'Invalid quota period specified. Valid options are DAY,WEEK,MONTH');
    e = await failure(apigw.send(new UpdateUsagePlanCommand({ usagePlanId, patchOperations: [{ op: 'add', path: '/apiStages', value: `${apiId}:nostage` }] })));
    assert.equal(e.name, 'NotFoundException');
    e = await failure(apigw.send(new UpdateUsagePlanCommand({ usagePlanId, patchOperations: [{ op: 'replace', path: '/id', value: 'x' }] })));
    assert.equal(e.name, 'BadRequestException');
    assert.match(e.message, /^Invalid patch path '\/id' specified for op 'replace'\. Must be one of: \[\/name, /);
    e = await failure(apigw.send(new UpdateUsagePlanCommand({ usagePlanId: 'nope', patchOperations: [] })));
    assert.equal(e.message, 'Invalid Usage Plan ID specified');
  });

  test('apiKeySource AUTHORIZER: the Lambda authorizer\'s usageIdentifierKey is the key; the proxy event and $context name it', async () => {
    const lambda = server.lambda();
    for (const [name, zip] of [['key-auth', KEY_AUTHORIZER_ZIP], ['key-echo', DOOR_HANDLER_ZIP]] as const) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip }, Timeout: 30 }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
      await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
    }
    const fnUri = (name: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${name}/invocations`;
    const api = await apigw.send(new CreateRestApiCommand({ name: 'authorizer-keys', apiKeySource: 'AUTHORIZER' }));
    const authorizer = await apigw.send(new CreateAuthorizerCommand({
      restApiId: api.id!, name: 'keys', type: 'TOKEN', authorizerUri: fnUri('key-auth'), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0,
    }));
    const on = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
    await apigw.send(new PutMethodCommand({ ...on, authorizationType: 'CUSTOM', authorizerId: authorizer.id!, apiKeyRequired: true }));
    await apigw.send(new PutIntegrationCommand({ ...on, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw.send(new PutMethodResponseCommand({ ...on, statusCode: '200' }));
    await apigw.send(new PutIntegrationResponseCommand({ ...on, statusCode: '200', responseTemplates: { 'application/json': '{"key":"$context.identity.apiKey","id":"$context.identity.apiKeyId"}' } }));
    const echo = await apigw.send(new CreateResourceCommand({ restApiId: api.id!, parentId: api.rootResourceId!, pathPart: 'echo' }));
    const onEcho = { restApiId: api.id!, resourceId: echo.id!, httpMethod: 'GET' };
    await apigw.send(new PutMethodCommand({ ...onEcho, authorizationType: 'CUSTOM', authorizerId: authorizer.id!, apiKeyRequired: true }));
    await apigw.send(new PutIntegrationCommand({ ...onEcho, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: fnUri('key-echo') }));
    await apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'live' }));
    const key = await apigw.send(new CreateApiKeyCommand({ name: 'from-authorizer', enabled: true, value: 'authorizer-key-0123456789' }));
    const plan = await apigw.send(new CreateUsagePlanCommand({ name: 'authorizer', apiStages: [{ apiId: api.id!, stage: 'live' }] }));
    await apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY' }));
    const get = (path: string, token: string, headers: Record<string, string> = {}) =>
      doorRequest(server.lambkin.port, { path: `/live${path}`, host: `${api.id}.execute-api.localhost:${server.lambkin.port}`, headers: { authorization: token, ...headers } });

    const ok = await get('/', 'key:authorizer-key-0123456789');
    assert.equal(ok.status, 200, ok.text());
    assert.deepEqual(ok.json(), { key: 'authorizer-key-0123456789', id: key.id });
    const event = (await get('/echo', 'key:authorizer-key-0123456789')).json();
    assert.deepEqual([event.requestContext.identity.apiKey, event.requestContext.identity.apiKeyId], ['authorizer-key-0123456789', key.id]);
    // The x-api-key header does not count when the authorizer names no key, or an unknown one.
    assert.equal((await get('/', 'no-key', { 'x-api-key': 'authorizer-key-0123456789' })).status, 403);
    assert.equal((await get('/', 'key:unknown-key-0123456789abc')).status, 403);
  });

  test('AWS CLI: create-api-key, create-usage-plan, create-usage-plan-key, then call with x-api-key', { skip: awsCliSkip }, async () => {
    const cli = async (args: string[]) => {
      const out = await awsCli(server.url, ['apigateway', ...args]);
      assert.equal(out.code, 0, out.stderr);
      return out.stdout ? out.json() : {};
    };
    const key = await cli(['create-api-key', '--name', 'cli-key', '--enabled']);
    const plan = await cli(['create-usage-plan', '--name', 'cli-plan', '--api-stages', `apiId=${apiId},stage=open`, '--throttle', 'burstLimit=10,rateLimit=5', '--quota', 'limit=100,period=WEEK']);
    assert.deepEqual(plan.throttle, { burstLimit: 10, rateLimit: 5 });
    await cli(['create-usage-plan-key', '--usage-plan-id', plan.id, '--key-id', key.id, '--key-type', 'API_KEY']);
    assert.equal((await call('open', key.value)).status, 200);
    assert.equal((await call('open')).status, 403);
  });
});
