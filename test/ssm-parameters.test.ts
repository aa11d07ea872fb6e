import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  AddTagsToResourceCommand, DeleteParameterCommand, DescribeParametersCommand, GetParameterCommand, GetParameterHistoryCommand, GetParametersByPathCommand,
  GetParametersCommand, ListTagsForResourceCommand, PutParameterCommand, RemoveTagsFromResourceCommand, SSMClient, paginateGetParametersByPath,
} from '@aws-sdk/client-ssm';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip } from './support/cli.js';

const BOTO3_SCRIPT = fileURLToPath(new URL('../../test/clients/boto3_ssm.py', import.meta.url));
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, cwd: fileURLToPath(new URL('../../test/clients/', import.meta.url)) }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected a rejection');
}

describe('SSM Parameter Store', () => {
  let server: TestServer;
  let ssm: SSMClient;
  before(async () => {
    server = await startTestServer();
    ssm = new SSMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(() => server.stop());

  test('the health route lists ssm', async () => {
    const health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as { services: string[] };
    assert.ok(health.services.includes('ssm'));
  });

  test('PutParameter creates version 1, Overwrite adds versions, selectors read old ones', async () => {
    const first = await ssm.send(new PutParameterCommand({ Name: '/app/db/url', Value: 'postgres://a', Type: 'String', Description: 'db', Tags: [{ Key: 'env', Value: 'dev' }] }));
    assert.deepEqual([first.Version, first.Tier], [1, 'Standard']);
    const second = await ssm.send(new PutParameterCommand({ Name: '/app/db/url', Value: 'postgres://b', Overwrite: true }));
    assert.equal(second.Version, 2);
    const latest = await ssm.send(new GetParameterCommand({ Name: '/app/db/url' }));
    assert.equal(latest.Parameter?.Value, 'postgres://b');
    assert.equal(latest.Parameter?.Version, 2);
    assert.equal(latest.Parameter?.Type, 'String');
    assert.match(latest.Parameter?.ARN ?? '', /^arn:aws:ssm:us-east-1:\d{12}:parameter\/app\/db\/url$/);
    assert.ok(latest.Parameter?.LastModifiedDate instanceof Date);
    const old = await ssm.send(new GetParameterCommand({ Name: '/app/db/url:1' }));
    assert.equal(old.Parameter?.Value, 'postgres://a');
    assert.equal(old.Parameter?.Selector, ':1');
    const byArn = await ssm.send(new GetParameterCommand({ Name: latest.Parameter!.ARN! }));
    assert.equal(byArn.Parameter?.Value, 'postgres://b');
  });

  test("AWS's errors: ParameterAlreadyExists, ParameterNotFound, ParameterVersionNotFound, a missing Type, a reserved name", async () => {
    await ssm.send(new PutParameterCommand({ Name: 'plain', Value: 'x', Type: 'String' }));
    const exists = await rejection(ssm.send(new PutParameterCommand({ Name: 'plain', Value: 'y', Type: 'String' })));
    assert.deepEqual(exists, { name: 'ParameterAlreadyExists', message: 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.', status: 400 });
    const missing = await rejection(ssm.send(new GetParameterCommand({ Name: '/nope' })));
    assert.equal(missing.name, 'ParameterNotFound');
    const version = await rejection(ssm.send(new GetParameterCommand({ Name: 'plain:7' })));
    assert.deepEqual([version.name, version.message], ['ParameterVersionNotFound', 'Systems Manager could not find version 7 of plain. Verify the version and try again.']);
    const untyped = await rejection(ssm.send(new PutParameterCommand({ Name: 'untyped', Value: 'x' })));
    assert.deepEqual([untyped.name, untyped.message], ['ValidationException', 'A parameter type is required when you create a parameter.']);
    const reserved = await rejection(ssm.send(new PutParameterCommand({ Name: '/aws/mine', Value: 'x', Type: 'String' })));
    assert.equal(reserved.name, 'ValidationException');
    const retype = await rejection(ssm.send(new PutParameterCommand({ Name: 'plain', Value: 'x', Type: 'StringList', Overwrite: true })));
    assert.equal(retype.name, 'HierarchyTypeMismatchException');
    const tooLong = await rejection(ssm.send(new PutParameterCommand({ Name: 'long', Value: 'x'.repeat(4097), Type: 'String' })));
    assert.equal(tooLong.name, 'ValidationException');
    const advanced = await ssm.send(new PutParameterCommand({ Name: 'long', Value: 'x'.repeat(4097), Type: 'String', Tier: 'Advanced' }));
    assert.equal(advanced.Tier, 'Advanced');
    const deleted = await rejection(ssm.send(new DeleteParameterCommand({ Name: '/nope' })));
    assert.equal(deleted.name, 'ParameterNotFound');
  });

  test('GetParameters answers found ones and lists the rest as InvalidParameters; SecureString comes back as stored', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/secret', Value: 'hunter2', Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/list', Value: 'a,b,c', Type: 'StringList' }));
    const got = await ssm.send(new GetParametersCommand({ Names: ['/app/secret', '/app/list', '/app/missing', '/app/list:9'], WithDecryption: true }));
    assert.deepEqual(got.Parameters?.map((p) => [p.Name, p.Type, p.Value]), [['/app/secret', 'SecureString', 'hunter2'], ['/app/list', 'StringList', 'a,b,c']]);
    assert.deepEqual(got.InvalidParameters, ['/app/missing', '/app/list:9']);
  });

  test('GetParametersByPath: one level or recursive, pages of at most 10, a path that is not one', async () => {
    for (let i = 0; i < 12; i++) await ssm.send(new PutParameterCommand({ Name: `/tree/leaf${String(i).padStart(2, '0')}`, Value: `${i}`, Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/tree/deep/down', Value: 'd', Type: 'String' }));
    const names: string[] = [];
    for await (const page of paginateGetParametersByPath({ client: ssm, pageSize: 5 }, { Path: '/tree' })) names.push(...(page.Parameters ?? []).map((p) => p.Name!));
    assert.equal(names.length, 12);
    assert.ok(!names.includes('/tree/deep/down'));
    const recursive: string[] = [];
    for await (const page of paginateGetParametersByPath({ client: ssm }, { Path: '/tree/', Recursive: true })) recursive.push(...(page.Parameters ?? []).map((p) => p.Name!));
    assert.equal(recursive.length, 13);
    const first = await ssm.send(new GetParametersByPathCommand({ Path: '/tree', Recursive: true }));
    assert.equal(first.Parameters?.length, 10);
    assert.ok(first.NextToken);
    const bad = await rejection(ssm.send(new GetParametersByPathCommand({ Path: 'tree' })));
    assert.equal(bad.name, 'ValidationException');
  });

  test('DescribeParameters filters by Name, Type and Path; GetParameterHistory lists every version', async () => {
    const byType = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Type', Values: ['StringList'] }] }));
    assert.deepEqual(byType.Parameters?.map((p) => p.Name), ['/app/list']);
    const byPath = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/app'] }] }));
    assert.deepEqual(byPath.Parameters?.map((p) => p.Name), ['/app/db/url', '/app/list', '/app/secret']);
    const byName = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/app/d'] }] }));
    assert.deepEqual(byName.Parameters?.map((p) => [p.Name, p.Version, p.Description]), [['/app/db/url', 2, 'db']]);
    const legacy = await ssm.send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['plain'] }] }));
    assert.deepEqual(legacy.Parameters?.map((p) => p.Name), ['plain']);
    const badKey = await rejection(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Colour', Values: ['x'] }] })));
    assert.equal(badKey.name, 'InvalidFilterKey');
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/app/db/url' }));
    assert.deepEqual(history.Parameters?.map((h) => [h.Version, h.Value]), [[1, 'postgres://a'], [2, 'postgres://b']]);
  });

  test('tags: PutParameter Tags, AddTagsToResource, RemoveTagsFromResource, ListTagsForResource', async () => {
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db/url', Tags: [{ Key: 'team', Value: 'core' }] }));
    await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db/url', TagKeys: ['env'] }));
    const tags = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/db/url' }));
    assert.deepEqual(tags.TagList, [{ Key: 'team', Value: 'core' }]);
    const withOverwrite = await rejection(ssm.send(new PutParameterCommand({ Name: '/app/db/url', Value: 'c', Overwrite: true, Tags: [{ Key: 'a', Value: 'b' }] })));
    assert.equal(withOverwrite.name, 'ValidationException');
  });

  test('the CDK bootstrap version parameter is readable after a restart', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version', Value: '21', Type: 'String' }));
    await server.restart();
    ssm = new SSMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const version = await ssm.send(new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }));
    assert.equal(version.Parameter?.Value, '21');
  });

  // Three calls only: each start of the AWS CLI costs seconds on a busy host.
  test('the AWS CLI puts, reads by path, and sees ParameterNotFound', { skip: awsCliSkip }, async () => {
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', server.url, '--output', 'json', 'ssm', ...args]);
    const put = await aws('put-parameter', '--name', '/cli/greeting', '--value', 'hello', '--type', 'String');
    assert.equal(put.code, 0, put.stderr);
    assert.equal(JSON.parse(put.stdout).Version, 1);
    const byPath = await aws('get-parameters-by-path', '--path', '/cli');
    assert.deepEqual(JSON.parse(byPath.stdout).Parameters.map((p: { Name: string; Value: string }) => [p.Name, p.Value]), [['/cli/greeting', 'hello']]);
    const missing = await aws('get-parameter', '--name', '/cli/absent');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /ParameterNotFound/);
  });

  test('boto3 drives the Parameter Store', { skip: boto3Skip }, async () => {
    const result = await run('python3', [BOTO3_SCRIPT, server.url]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'OK');
  });
});
