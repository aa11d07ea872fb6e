import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import {
  APIGatewayClient, CreateDeploymentCommand, GetAuthorizersCommand, GetResourcesCommand, GetRestApiCommand, ImportRestApiCommand, PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';
import { awsCli, DOOR_HANDLER_ZIP, doorRequest } from './support/http-doors.js';
import { awsCliSkip } from './support/cli.js';


const ACCOUNT = '000000000000';
const FN_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:import-fn`;
const URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN_ARN}/invocations`;
const proxy = { type: 'aws_proxy', httpMethod: 'POST', uri: URI };

const SWAGGER = {
  swagger: '2.0',
  info: { title: 'imported', version: '1.0', description: 'from swagger' },
  'x-amazon-apigateway-binary-media-types': ['image/png'],
  securityDefinitions: {
    tokenAuth: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom', 'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: URI, authorizerResultTtlInSeconds: 0 } },
  },
  paths: {
    '/hello': { get: { responses: {}, 'x-amazon-apigateway-integration': proxy } },
    '/items/{id}': { delete: { security: [{ tokenAuth: [] }], responses: {}, 'x-amazon-apigateway-integration': proxy } },
    '/files/{proxy+}': { 'x-amazon-apigateway-any-method': { responses: {}, 'x-amazon-apigateway-integration': proxy } },
    '/mock': { get: { 'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } } } },
  },
};

const OPENAPI_YAML = `openapi: 3.0.1
info:
  title: yaml-api
  version: "2"
paths:
  /ping:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${URI}
`;

type Failure = Error & { name: string; $metadata: { httpStatusCode: number } };
const failure = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: Failure) => e);
const body = (doc: unknown) => Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc));

describe('REST APIs from OpenAPI documents (ImportRestApi, PutRestApi)', () => {
  let server: TestServer;
  let apigw: APIGatewayClient;
  let apiId: string;

  before(async () => {
    server = await startTestServer();
    const lambda = server.lambda();
    apigw = new APIGatewayClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'import-fn', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: DOOR_HANDLER_ZIP }, Timeout: 30 }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'import-fn' });
    await lambda.send(new AddPermissionCommand({ FunctionName: 'import-fn', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  });
  after(async () => server?.stop());

  test('ImportRestApi builds resources, methods, integrations, authorizers and binary media types from swagger 2.0', async () => {
    const api = await apigw.send(new ImportRestApiCommand({ body: body(SWAGGER), parameters: { endpointConfigurationTypes: 'REGIONAL' } }));
    apiId = api.id!;
    assert.equal(api.name, 'imported');
    assert.equal(api.description, 'from swagger');
    assert.deepEqual(api.binaryMediaTypes, ['image/png']);
    assert.deepEqual(api.endpointConfiguration?.types, ['REGIONAL']);
    const resources = (await apigw.send(new GetResourcesCommand({ restApiId: apiId, embed: ['methods'] }))).items!;
    assert.deepEqual(resources.map((r) => r.path).sort(), ['/', '/files', '/files/{proxy+}', '/hello', '/items', '/items/{id}', '/mock']);
    const byPath = Object.fromEntries(resources.map((r) => [r.path, r]));
    const get = byPath['/hello']!.resourceMethods!.GET!;
    assert.equal(get.methodIntegration?.type, 'AWS_PROXY');
    assert.equal(get.methodIntegration?.uri, URI);
    assert.equal(get.methodIntegration?.httpMethod, 'POST');
    assert.ok(byPath['/files/{proxy+}']!.resourceMethods!.ANY);
    assert.equal(byPath['/mock']!.resourceMethods!.GET!.methodIntegration?.type, 'MOCK');
    const authorizers = (await apigw.send(new GetAuthorizersCommand({ restApiId: apiId }))).items!;
    assert.equal(authorizers.length, 1);
    assert.equal(authorizers[0]!.name, 'tokenAuth');
    assert.equal(authorizers[0]!.type, 'TOKEN');
    assert.equal(authorizers[0]!.identitySource, 'method.request.header.Authorization');
    const del = byPath['/items/{id}']!.resourceMethods!.DELETE!;
    assert.equal(del.authorizationType, 'CUSTOM');
    assert.equal(del.authorizerId, authorizers[0]!.id);
  });

  test('the imported API serves once deployed: the function gets the REST (1.0) event of the {proxy+} route', async () => {
    await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'v1' }));
    const res = await doorRequest(server.lambkin.port, { path: `/_lambkin/apis/${apiId}/v1/files/a/b.txt` });
    assert.equal(res.status, 200, res.text());
    const event = res.json();
    assert.equal(event.resource, '/files/{proxy+}');
    assert.equal(event.path, '/files/a/b.txt');
    assert.deepEqual(event.pathParameters, { proxy: 'a/b.txt' });
    assert.equal(event.requestContext.stage, 'v1');
  });

  test('PutRestApi merge adds to the API; overwrite replaces its definition', async () => {
    await apigw.send(new PutRestApiCommand({ restApiId: apiId, mode: 'merge', body: body(OPENAPI_YAML) }));
    let paths = (await apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.map((r) => r.path).sort();
    assert.ok(paths.includes('/ping') && paths.includes('/hello'), paths.join(' '));
    assert.equal((await apigw.send(new GetRestApiCommand({ restApiId: apiId }))).name, 'imported');

    const api = await apigw.send(new PutRestApiCommand({ restApiId: apiId, mode: 'overwrite', body: body(OPENAPI_YAML) }));
    assert.equal(api.name, 'yaml-api');
    paths = (await apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.map((r) => r.path).sort();
    assert.deepEqual(paths, ['/', '/ping']);
    assert.equal((await apigw.send(new GetAuthorizersCommand({ restApiId: apiId }))).items!.length, 0);
  });

  test("bad documents get BadRequestException with AWS's texts", async () => {
    let e = await failure(apigw.send(new ImportRestApiCommand({ body: body('{not json') })));
    assert.equal(e.name, 'BadRequestException');
    assert.equal(e.message, 'Invalid OpenAPI input.');
    e = await failure(apigw.send(new ImportRestApiCommand({ body: body({ info: { title: 'x' }, paths: {} }) })));
    assert.equal(e.name, 'BadRequestException');
    e = await failure(apigw.send(new ImportRestApiCommand({
      body: body({ swagger: '2.0', info: { title: 'x' }, paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'http', httpMethod: 'GET', uri: 'example.com' } } }, '/b c': {} } }),
    })));
    assert.equal(e.name, 'BadRequestException');
    assert.match(e.message, /^Errors found during import:\n\t/);
    assert.match(e.message, /Unable to put integration on 'GET' for resource at path '\/a': Invalid HTTP endpoint specified for URI/);
    assert.match(e.message, /Unable to create resource at path '\/b c'/);
    e = await failure(apigw.send(new PutRestApiCommand({ restApiId: apiId, mode: 'replace' as never, body: body(SWAGGER) })));
    assert.equal(e.name, 'BadRequestException');
    e = await failure(apigw.send(new PutRestApiCommand({ restApiId: 'nope123456', body: body(SWAGGER) })));
    assert.equal(e.name, 'NotFoundException');
  });

  test('the AWS CLI imports and overwrites from a YAML file (import-rest-api, put-rest-api)', { skip: awsCliSkip }, async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lambkin-import-')), 'api.yaml');
    writeFileSync(file, OPENAPI_YAML);
    const imported = await awsCli(server.url, ['apigateway', 'import-rest-api', '--region', 'us-east-1', '--body', `fileb://${file}`]);
    assert.equal(imported.code, 0, imported.stderr);
    const id = imported.json().id as string;
    assert.equal(imported.json().name, 'yaml-api');
    const put = await awsCli(server.url, ['apigateway', 'put-rest-api', '--region', 'us-east-1', '--rest-api-id', id, '--mode', 'overwrite', '--body', `fileb://${file}`]);
    assert.equal(put.code, 0, put.stderr);
    const resources = await awsCli(server.url, ['apigateway', 'get-resources', '--region', 'us-east-1', '--rest-api-id', id]);
    assert.deepEqual((resources.json().items as { path: string }[]).map((r) => r.path).sort(), ['/', '/ping']);
  });
});
