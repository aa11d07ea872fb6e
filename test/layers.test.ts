import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AddLayerVersionPermissionCommand, CreateFunctionCommand, DeleteLayerVersionCommand, GetAccountSettingsCommand,
  GetLayerVersionByArnCommand, GetLayerVersionCommand, GetLayerVersionPolicyCommand, ListLayersCommand,
  ListLayerVersionsCommand, PublishLayerVersionCommand, RemoveLayerVersionPermissionCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

const LAYER_ZIP = makeZip({ 'nodejs/node_modules/greet/index.js': 'module.exports = () => "hi";\n' });
const ACCOUNT = '000000000000';
const arnOf = (name: string, version?: number) =>
  `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:${name}${version === undefined ? '' : `:${version}`}`;

describe('layers', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(() => server.stop());

  const publish = (name: string, extra: Record<string, unknown> = {}) =>
    lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: LAYER_ZIP }, ...extra }));

  test('publish returns 201 with the recorded members, and the content is downloadable', async () => {
    const out = await publish('l-publish', { CompatibleRuntimes: ['nodejs22.x'], CompatibleArchitectures: ['x86_64'], LicenseInfo: 'MIT', Description: 'd' });
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.equal(out.Version, 1);
    assert.equal(out.LayerArn, arnOf('l-publish'));
    assert.equal(out.LayerVersionArn, arnOf('l-publish', 1));
    assert.equal(out.Content?.CodeSha256, createHash('sha256').update(LAYER_ZIP).digest('base64'));
    assert.equal(out.Content?.CodeSize, LAYER_ZIP.length);
    assert.deepEqual(out.CompatibleRuntimes, ['nodejs22.x']);
    assert.deepEqual(out.CompatibleArchitectures, ['x86_64']);
    assert.equal(out.LicenseInfo, 'MIT');
    assert.equal(out.Description, 'd');
    assert.match(out.CreatedDate ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const zip = await fetch(out.Content?.Location ?? '');
    assert.equal(zip.status, 200);
    assert.deepEqual(new Uint8Array(await zip.arrayBuffer()), LAYER_ZIP);

    const bare = await publish('l-bare');
    assert.equal(bare.Description, '');
    assert.equal(bare.LicenseInfo, undefined);
    assert.equal(bare.CompatibleRuntimes, undefined);
    assert.equal(bare.CompatibleArchitectures, undefined);
    const empty = await publish('l-empty', { CompatibleRuntimes: [], CompatibleArchitectures: [] });
    assert.deepEqual(empty.CompatibleRuntimes, []);
    assert.deepEqual(empty.CompatibleArchitectures, []);
  });

  test('deprecated runtimes are accepted as compatible runtimes', async () => {
    const out = await publish('l-old', { CompatibleRuntimes: ['nodejs14.x', 'python3.7', 'go1.x', 'provided'], CompatibleArchitectures: ['arm64', 'x86_64'] });
    assert.deepEqual(out.CompatibleRuntimes, ['nodejs14.x', 'python3.7', 'go1.x', 'provided']);
  });

  test('publish validation', async () => {
    await rejectsWith(
      publish('l-bad', { CompatibleRuntimes: ['invalidruntime', 'invalidruntime2', 'nodejs20.x'], CompatibleArchitectures: ['invalidarch', 'x86_64'] }),
      'ValidationException',
      400,
      "2 validation errors detected: Value '[invalidruntime, invalidruntime2, nodejs20.x]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: [nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, nodejs22.x, java25, python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, python3.8, python3.9, java17, nodejs16.x, dotnet10, dotnet8, java11, dotnet6, nodejs18.x, provided.al2, java8.al2]; Value '[invalidarch, x86_64]' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]",
    );
    await rejectsWith(
      lambda.send(new PublishLayerVersionCommand({ LayerName: 'l-s3', Content: { S3Bucket: 'b', S3Key: 'k' } })),
      'InvalidParameterValueException',
      400,
      'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist',
    );
    await rejectsWith(publish('l-license', { LicenseInfo: 'x'.repeat(513) }), 'ValidationException', 400, /at 'licenseInfo' failed to satisfy constraint: Member must have length less than or equal to 512/);
    await rejectsWith(
      publish('l-many', { CompatibleRuntimes: Array(16).fill('nodejs22.x') }),
      'ValidationException',
      400,
      /at 'compatibleRuntimes' failed to satisfy constraint: Member must have length less than or equal to 15/,
    );
    await rejectsWith(publish('bad name!'), 'ValidationException', 400, /at 'layerName' failed to satisfy constraint/);
  });

  test('versions are never reused after deletion; list is newest first without Content', async () => {
    await publish('l-life', { CompatibleRuntimes: ['python3.12'], LicenseInfo: 'L' });
    await publish('l-life', { CompatibleRuntimes: ['python3.12'], LicenseInfo: 'L' });
    const listed = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'l-life' }));
    assert.deepEqual(listed.LayerVersions?.map((v) => v.Version), [2, 1]);
    const entry = listed.LayerVersions?.[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(entry).sort(), ['CompatibleRuntimes', 'CreatedDate', 'Description', 'LayerVersionArn', 'LicenseInfo', 'Version']);

    for (const v of [1, 2]) {
      const del = await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'l-life', VersionNumber: v }));
      assert.equal(del.$metadata.httpStatusCode, 204);
    }
    const again = await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'l-life', VersionNumber: 2 }));
    assert.equal(again.$metadata.httpStatusCode, 204);
    const none = await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'l-never', VersionNumber: 1 }));
    assert.equal(none.$metadata.httpStatusCode, 204);
    assert.deepEqual((await lambda.send(new ListLayerVersionsCommand({ LayerName: 'l-life' }))).LayerVersions, []);
    assert.equal((await publish('l-life')).Version, 3);
    await rejectsWith(
      lambda.send(new DeleteLayerVersionCommand({ LayerName: 'l-life', VersionNumber: 0 })),
      'InvalidParameterValueException',
      400,
      'Layer Version Cannot be less than 1',
    );
  });

  test('get, get by ARN and their errors', async () => {
    await publish('l-get', { Description: 'g' });
    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: 'l-get', VersionNumber: 1 }));
    assert.equal(got.Description, 'g');
    assert.equal(got.LayerVersionArn, arnOf('l-get', 1));
    assert.ok(got.Content?.Location);
    const byLayerArn = await lambda.send(new GetLayerVersionCommand({ LayerName: arnOf('l-get'), VersionNumber: 1 }));
    assert.equal(byLayerArn.Version, 1);
    const byArn = await lambda.send(new GetLayerVersionByArnCommand({ Arn: arnOf('l-get', 1) }));
    assert.equal(byArn.LayerArn, arnOf('l-get'));

    await rejectsWith(lambda.send(new GetLayerVersionCommand({ LayerName: 'l-get', VersionNumber: 2 })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    await rejectsWith(lambda.send(new GetLayerVersionCommand({ LayerName: 'l-nope', VersionNumber: 1 })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    for (const v of [0, -1]) {
      await rejectsWith(lambda.send(new GetLayerVersionCommand({ LayerName: 'l-get', VersionNumber: v })), 'InvalidParameterValueException', 400, 'Layer Version Cannot be less than 1');
    }
    await rejectsWith(
      lambda.send(new GetLayerVersionByArnCommand({ Arn: arnOf('l-get') })),
      'ValidationException',
      400,
      `1 validation error detected: Value '${arnOf('l-get')}' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)`,
    );
    await rejectsWith(lambda.send(new GetLayerVersionByArnCommand({ Arn: arnOf('l-get', 9) })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
  });

  test('ListLayers reports each layer with its latest matching version', async () => {
    await publish('l-list-a', { CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['x86_64'] });
    await publish('l-list-a', { CompatibleRuntimes: ['nodejs22.x'], CompatibleArchitectures: ['arm64'] });
    await publish('l-list-b', { CompatibleRuntimes: ['python3.12'], CompatibleArchitectures: ['arm64'] });
    const all = await lambda.send(new ListLayersCommand({}));
    const a = all.Layers?.find((l) => l.LayerName === 'l-list-a');
    assert.equal(a?.LayerArn, arnOf('l-list-a'));
    assert.equal(a?.LatestMatchingVersion?.Version, 2);
    assert.equal((a?.LatestMatchingVersion as Record<string, unknown>).Content, undefined);

    const python = await lambda.send(new ListLayersCommand({ CompatibleRuntime: 'python3.12' }));
    const names = python.Layers?.map((l) => l.LayerName) ?? [];
    assert.ok(names.includes('l-list-a') && names.includes('l-list-b'));
    assert.equal(python.Layers?.find((l) => l.LayerName === 'l-list-a')?.LatestMatchingVersion?.Version, 1);
    const pythonArm = await lambda.send(new ListLayersCommand({ CompatibleRuntime: 'python3.12', CompatibleArchitecture: 'arm64' }));
    assert.deepEqual(pythonArm.Layers?.map((l) => l.LayerName), ['l-list-b']);
    const versions = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'l-list-a', CompatibleArchitecture: 'x86_64' }));
    assert.deepEqual(versions.LayerVersions?.map((v) => v.Version), [1]);

    const page = await lambda.send(new ListLayersCommand({ MaxItems: 1 }));
    assert.equal(page.Layers?.length, 1);
    assert.ok(page.NextMarker);
    const next = await lambda.send(new ListLayersCommand({ MaxItems: 1, Marker: page.NextMarker }));
    assert.notEqual(next.Layers?.[0]?.LayerName, page.Layers?.[0]?.LayerName);
    await rejectsWith(lambda.send(new ListLayersCommand({ MaxItems: 51 })), 'ValidationException', 400, /Member must have value less than or equal to 50/);

    await rejectsWith(
      lambda.send(new ListLayersCommand({ CompatibleArchitecture: 'archdoesnotexist' as never })),
      'ValidationException',
      400,
      "1 validation error detected: Value 'archdoesnotexist' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]",
    );
    await rejectsWith(
      lambda.send(new ListLayersCommand({ CompatibleRuntime: 'runtimedoesnotexist' as never })),
      'ValidationException',
      400,
      "1 validation error detected: Value 'runtimedoesnotexist' at 'compatibleRuntime' failed to satisfy constraint: Member must satisfy enum value set: [ruby3.5, ruby2.6, dotnetcore1.0, python3.7, nodejs8.10, nasa, ruby2.7, python2.7-greengrass, dotnetcore2.0, python3.8, java21, dotnet6, dotnetcore2.1, python3.9, java11, nodejs6.10, provided, dotnetcore3.1, dotnet8, java25, java17, nodejs, nodejs4.3, java8.al2, go1.x, dotnet10, nodejs20.x, go1.9, byol, nodejs10.x, provided.al2023, nodejs22.x, python3.10, java8, nodejs12.x, python3.11, nodejs24.x, nodejs8.x, python3.12, nodejs14.x, nodejs8.9, nodejs26.x, python3.13, python3.14, nodejs16.x, python3.15, provided.al2, nodejs4.3-edge, nodejs18.x, ruby3.2, python3.4, ruby3.3, ruby3.4, ruby2.5, python3.6, python2.7]",
    );
    assert.deepEqual((await lambda.send(new ListLayerVersionsCommand({ LayerName: 'l-nonexistent' }))).LayerVersions, []);
  });

  test('layer version policy lifecycle and errors', async () => {
    await publish('l-pol');
    const add = (sid: string, extra: Record<string, unknown> = {}) =>
      lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'l-pol', VersionNumber: 1, StatementId: sid, Action: 'lambda:GetLayerVersion', Principal: '*', ...extra }));
    await rejectsWith(
      lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'l-pol', VersionNumber: 1 })),
      'ResourceNotFoundException',
      404,
      'No policy is associated with the given resource.',
    );
    const s1 = await add('s1');
    assert.equal(s1.$metadata.httpStatusCode, 201);
    assert.deepEqual(JSON.parse(s1.Statement ?? ''), { Sid: 's1', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: arnOf('l-pol', 1) });
    const policy = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'l-pol', VersionNumber: 1 }));
    assert.equal(policy.RevisionId, s1.RevisionId);
    assert.deepEqual(JSON.parse(policy.Policy ?? ''), { Version: '2012-10-17', Id: 'default', Statement: [JSON.parse(s1.Statement ?? '')] });

    await rejectsWith(add('s1'), 'ResourceConflictException', 409, 'The statement id (s1) provided already exists. Please provide a new statement id, or remove the existing statement.');
    await rejectsWith(add('s2', { RevisionId: 'wrong' }), 'PreconditionFailedException', 412, 'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id');
    await rejectsWith(
      add('s2', { Action: '*' }),
      'ValidationException',
      400,
      "1 validation error detected: Value '*' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: lambda:GetLayerVersion",
    );
    const s2 = await add('s2', { Principal: '111122223333', RevisionId: s1.RevisionId });
    assert.deepEqual(JSON.parse(s2.Statement ?? '').Principal, { AWS: 'arn:aws:iam::111122223333:root' });

    const missingLayer = `Layer version ${arnOf('l-pol-doesnotexist', 1)} does not exist.`;
    await rejectsWith(lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'l-pol-doesnotexist', VersionNumber: 1, StatementId: 'x', Action: 'lambda:GetLayerVersion', Principal: '*' })), 'ResourceNotFoundException', 404, missingLayer);
    await rejectsWith(lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'l-pol-doesnotexist', VersionNumber: 1 })), 'ResourceNotFoundException', 404, missingLayer);
    await rejectsWith(lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'l-pol', VersionNumber: 2, StatementId: 's1' })), 'ResourceNotFoundException', 404, `Layer version ${arnOf('l-pol', 2)} does not exist.`);
    await rejectsWith(lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'l-pol', VersionNumber: 1, StatementId: 'doesnotexist' })), 'ResourceNotFoundException', 404, 'Statement doesnotexist is not found in resource policy.');
    await rejectsWith(
      lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'l-pol', VersionNumber: 1, StatementId: 's1', RevisionId: 'wrong' })),
      'PreconditionFailedException',
      412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id',
    );
    const removed = await lambda.send(new RemoveLayerVersionPermissionCommand({ LayerName: 'l-pol', VersionNumber: 1, StatementId: 's2' }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    const after2 = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'l-pol', VersionNumber: 1 }));
    assert.deepEqual(JSON.parse(after2.Policy ?? '').Statement.map((s: { Sid: string }) => s.Sid), ['s1']);
    assert.notEqual(after2.RevisionId, s2.RevisionId);
  });

  test('another account reads a layer only when its policy allows', async () => {
    await publish('l-shared');
    const other = server.lambda({ accessKeyId: '111122223333' });
    await rejectsWith(other.send(new GetLayerVersionByArnCommand({ Arn: arnOf('l-shared', 1) })), 'AccessDeniedException', 403);
    await rejectsWith(other.send(new DeleteLayerVersionCommand({ LayerName: arnOf('l-shared'), VersionNumber: 1 })), 'AccessDeniedException', 403);
    await lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'l-shared', VersionNumber: 1, StatementId: 'b', Action: 'lambda:GetLayerVersion', Principal: '111122223333' }));
    const got = await other.send(new GetLayerVersionByArnCommand({ Arn: arnOf('l-shared', 1) }));
    assert.equal(got.Version, 1);
  });

  test('functions reference layer versions with their code size; account usage counts layers', async () => {
    const before = await lambda.send(new GetAccountSettingsCommand({}));
    const layer = await publish('l-fn');
    const afterPublish = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal((afterPublish.AccountUsage?.TotalCodeSize ?? 0) - (before.AccountUsage?.TotalCodeSize ?? 0), LAYER_ZIP.length);
    const fn = await lambda.send(new CreateFunctionCommand({
      FunctionName: 'fn-with-layer', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP }, Layers: [layer.LayerVersionArn ?? ''],
    }));
    assert.deepEqual(fn.Layers, [{ Arn: arnOf('l-fn', 1), CodeSize: LAYER_ZIP.length }]);
  });

  test('layers, versions and policies survive a restart', async () => {
    await publish('l-persist');
    await publish('l-persist');
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'l-persist', VersionNumber: 2 }));
    const added = await lambda.send(new AddLayerVersionPermissionCommand({ LayerName: 'l-persist', VersionNumber: 1, StatementId: 'p', Action: 'lambda:GetLayerVersion', Principal: '*' }));
    await server.restart();
    lambda = server.lambda();
    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: 'l-persist', VersionNumber: 1 }));
    assert.equal(got.Content?.CodeSize, LAYER_ZIP.length);
    const zip = await fetch(got.Content?.Location ?? '');
    assert.deepEqual(new Uint8Array(await zip.arrayBuffer()), LAYER_ZIP);
    const policy = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'l-persist', VersionNumber: 1 }));
    assert.equal(policy.RevisionId, added.RevisionId);
    assert.equal((await publish('l-persist')).Version, 3);
  });
});
