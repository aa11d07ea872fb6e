import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand, CreateFunctionCommand, DeleteAliasCommand, DeleteFunctionCommand, GetAliasCommand, GetFunctionCommand,
  GetFunctionConfigurationCommand, ListAliasesCommand, ListVersionsByFunctionCommand, PublishVersionCommand, UpdateAliasCommand,
  UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, waitUntilPublishedVersionActive, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

describe('versions and aliases', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(() => server.stop());

  const waiter = () => ({ client: lambda, maxWaitTime: 10, minDelay: 1 });
  async function createActive(name: string, extra: Record<string, unknown> = {}) {
    const created = await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP }, ...extra,
    }));
    await waitUntilFunctionActiveV2(waiter(), { FunctionName: name });
    return created;
  }
  async function reconfigure(name: string, variables: Record<string, string>) {
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: variables } }));
    await waitUntilFunctionUpdatedV2(waiter(), { FunctionName: name });
  }
  /** A function with published versions 1 and 2 (different environments). */
  async function twoVersions(name: string) {
    await createActive(name, { Environment: { Variables: { STAGE: 'one' } } });
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await reconfigure(name, { STAGE: 'two' });
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  }

  test('PublishVersion snapshots $LATEST as 1, 2, … and repeats the newest when nothing changed', async () => {
    await createActive('pv-basic', { Description: 'latest description' });
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'pv-basic', Description: 'first' }));
    assert.equal(v1.$metadata.httpStatusCode, 201);
    assert.equal(v1.Version, '1');
    assert.equal(v1.FunctionArn, `${ARN}:pv-basic:1`);
    assert.equal(v1.Description, 'first');
    await waitUntilPublishedVersionActive(waiter(), { FunctionName: 'pv-basic', Qualifier: '1' });
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: 'pv-basic' }));
    assert.equal(again.$metadata.httpStatusCode, 201);
    assert.equal(again.Version, '1');
    assert.equal(again.RevisionId, (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'pv-basic', Qualifier: '1' }))).RevisionId);
    await reconfigure('pv-basic', { CHANGED: 'yes' });
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: `${ARN}:pv-basic` }));
    assert.equal(v2.Version, '2');
    assert.deepEqual(v2.Environment?.Variables, { CHANGED: 'yes' });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'pv-basic', Qualifier: '1' }));
    assert.equal(got.Configuration?.FunctionArn, `${ARN}:pv-basic:1`);
    assert.equal(got.Configuration?.Environment, undefined);
  });

  test('PublishVersion preconditions: CodeSha256, RevisionId, update in progress, unknown function', async () => {
    const created = await createActive('pv-pre');
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'pv-pre' }));
    await rejectsWith(lambda.send(new PublishVersionCommand({ FunctionName: 'pv-pre', CodeSha256: 'somenonexistentsha256' })),
      'InvalidParameterValueException', 400,
      `CodeSHA256 (somenonexistentsha256) is different from current CodeSHA256 in $LATEST (${created.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`);
    await rejectsWith(lambda.send(new PublishVersionCommand({ FunctionName: 'pv-pre', RevisionId: 'wrong' })),
      'PreconditionFailedException', 412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
    const ok = await lambda.send(new PublishVersionCommand({ FunctionName: 'pv-pre', CodeSha256: created.CodeSha256, RevisionId: latest.RevisionId }));
    assert.equal(ok.Version, '1');
    // 409 while an update is in progress: test/update-in-progress.test.ts, on a server that holds updates.
    await rejectsWith(lambda.send(new PublishVersionCommand({ FunctionName: 'pv-nope' })), 'ResourceNotFoundException', 404,
      `Function not found: ${ARN}:pv-nope`);
    await rejectsWith(lambda.send(new PublishVersionCommand({ FunctionName: 'pv-pre', Description: 'x'.repeat(257) })), 'ValidationException', 400,
      /at 'description' failed to satisfy constraint: Member must have length less than or equal to 256/);
  });

  test('ListVersionsByFunction: qualified ARNs, no state members, pagination', async () => {
    await twoVersions('lv-fn');
    const all = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'lv-fn' }));
    assert.deepEqual(all.Versions?.map((v) => v.Version), ['$LATEST', '1', '2']);
    assert.deepEqual(all.Versions?.map((v) => v.FunctionArn), [`${ARN}:lv-fn:$LATEST`, `${ARN}:lv-fn:1`, `${ARN}:lv-fn:2`]);
    for (const v of all.Versions ?? []) {
      assert.equal(v.State, undefined);
      assert.equal(v.StateReason, undefined);
      assert.equal(v.LastUpdateStatus, undefined);
      assert.equal(v.RuntimeVersionConfig, undefined);
    }
    assert.equal(all.NextMarker, undefined);
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'lv-fn', MaxItems: 2, Marker: marker }));
      assert.ok((page.Versions ?? []).length <= 2);
      seen.push(...(page.Versions ?? []).map((v) => v.Version ?? ''));
      marker = page.NextMarker;
    } while (marker);
    assert.deepEqual(seen, ['$LATEST', '1', '2']);
    await rejectsWith(lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'lv-fn', MaxItems: 0 })), 'ValidationException', 400,
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await rejectsWith(lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'lv-nope' })), 'ResourceNotFoundException', 404,
      `Function not found: ${ARN}:lv-nope`);
  });

  test('alias lifecycle: create, get, resolve through GetFunction, update, list, delete', async () => {
    await twoVersions('al-fn');
    const created = await lambda.send(new CreateAliasCommand({
      FunctionName: 'al-fn', Name: 'live', FunctionVersion: '1', Description: 'custom-alias', RoutingConfig: { AdditionalVersionWeights: { '2': 0.2 } },
    }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.AliasArn, `${ARN}:al-fn:live`);
    assert.equal(created.Name, 'live');
    assert.equal(created.FunctionVersion, '1');
    assert.equal(created.Description, 'custom-alias');
    assert.deepEqual(created.RoutingConfig, { AdditionalVersionWeights: { '2': 0.2 } });
    assert.match(created.RevisionId ?? '', /^[0-9a-f-]{36}$/);

    const got = await lambda.send(new GetAliasCommand({ FunctionName: 'al-fn', Name: 'live' }));
    assert.equal(got.RevisionId, created.RevisionId);
    assert.deepEqual(got.RoutingConfig, created.RoutingConfig);

    const viaAlias = await lambda.send(new GetFunctionCommand({ FunctionName: 'al-fn', Qualifier: 'live' }));
    assert.equal(viaAlias.Configuration?.Version, '1');
    assert.equal(viaAlias.Configuration?.FunctionArn, `${ARN}:al-fn:live`);
    const viaArn = await lambda.send(new GetFunctionCommand({ FunctionName: `${ARN}:al-fn:live` }));
    assert.equal(viaArn.Configuration?.Version, '1');
    await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'al-fn', Qualifier: 'aliasdoesnotexist' })),
      'ResourceNotFoundException', 404, `Function not found: ${ARN}:al-fn:aliasdoesnotexist`);

    const plain = await lambda.send(new CreateAliasCommand({ FunctionName: 'al-fn', Name: 'plain', FunctionVersion: '1' }));
    assert.equal(plain.Description, '');
    assert.equal(plain.RoutingConfig, undefined);
    await lambda.send(new CreateAliasCommand({ FunctionName: 'al-fn', Name: 'two', FunctionVersion: '2' }));
    const latestAlias = await lambda.send(new CreateAliasCommand({ FunctionName: 'al-fn', Name: 'head', FunctionVersion: '$LATEST' }));
    assert.equal(latestAlias.FunctionVersion, '$LATEST');

    const listed = await lambda.send(new ListAliasesCommand({ FunctionName: 'al-fn' }));
    assert.deepEqual(listed.Aliases?.map((a) => a.Name), ['head', 'live', 'plain', 'two']);
    const forV1 = await lambda.send(new ListAliasesCommand({ FunctionName: 'al-fn', FunctionVersion: '1' }));
    assert.deepEqual(forV1.Aliases?.map((a) => a.Name), ['live', 'plain']);
    const page1 = await lambda.send(new ListAliasesCommand({ FunctionName: 'al-fn', MaxItems: 3 }));
    assert.equal(page1.Aliases?.length, 3);
    assert.ok(page1.NextMarker);
    const page2 = await lambda.send(new ListAliasesCommand({ FunctionName: 'al-fn', MaxItems: 3, Marker: page1.NextMarker }));
    assert.deepEqual(page2.Aliases?.map((a) => a.Name), ['two']);
    assert.equal(page2.NextMarker, undefined);

    await rejectsWith(lambda.send(new UpdateAliasCommand({ FunctionName: 'al-fn', Name: 'live', Description: 'x', RevisionId: 'wrong' })),
      'PreconditionFailedException', 412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
    const updated = await lambda.send(new UpdateAliasCommand({
      FunctionName: 'al-fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: created.RevisionId,
    }));
    assert.equal(updated.$metadata.httpStatusCode, 200);
    assert.equal(updated.RoutingConfig, undefined);
    assert.equal(updated.Description, 'custom-alias');
    assert.equal(updated.FunctionVersion, '1');
    assert.notEqual(updated.RevisionId, created.RevisionId);
    const unchanged = await lambda.send(new UpdateAliasCommand({ FunctionName: 'al-fn', Name: 'live' }));
    assert.notEqual(unchanged.RevisionId, updated.RevisionId);
    const moved = await lambda.send(new UpdateAliasCommand({ FunctionName: 'al-fn', Name: 'live', FunctionVersion: '2', Description: 'moved' }));
    assert.equal(moved.FunctionVersion, '2');
    assert.equal(moved.Description, 'moved');
    const resolved = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'al-fn:live' }));
    assert.equal(resolved.Version, '2');
    await rejectsWith(lambda.send(new UpdateAliasCommand({ FunctionName: 'al-fn', Name: 'live', FunctionVersion: '9' })),
      'ResourceNotFoundException', 404, `Function not found: ${ARN}:al-fn:9`);
    await rejectsWith(lambda.send(new UpdateAliasCommand({ FunctionName: 'al-fn', Name: 'non-existent', Description: 'x' })),
      'ResourceNotFoundException', 404, `Alias not found: ${ARN}:al-fn:non-existent`);

    const deleted = await lambda.send(new DeleteAliasCommand({ FunctionName: 'al-fn', Name: 'live' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejectsWith(lambda.send(new GetAliasCommand({ FunctionName: 'al-fn', Name: 'live' })),
      'ResourceNotFoundException', 404, `Cannot find alias arn: ${ARN}:al-fn:live`);
    const again = await lambda.send(new DeleteAliasCommand({ FunctionName: 'al-fn', Name: 'live' }));
    assert.equal(again.$metadata.httpStatusCode, 204);
    await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'al-fn:live' })), 'ResourceNotFoundException', 404,
      `Function not found: ${ARN}:al-fn:live`);
  });

  test('alias names and routing configurations are validated as AWS does', async () => {
    await twoVersions('rc-fn');
    const create = (input: Record<string, unknown>) =>
      lambda.send(new CreateAliasCommand({ FunctionName: 'rc-fn', Name: 'custom', FunctionVersion: '1', ...input }));
    await rejectsWith(create({ RoutingConfig: { AdditionalVersionWeights: { '1': 0.8, '2': 0.2 } } }), 'InvalidParameterValueException', 400,
      'Number of items in AdditionalVersionWeights cannot be greater than 1');
    const range = "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]";
    await rejectsWith(create({ RoutingConfig: { AdditionalVersionWeights: { '2': 2 } } }), 'ValidationException', 400,
      `1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: ${range}`);
    await rejectsWith(create({ RoutingConfig: { AdditionalVersionWeights: { '2': -1 } } }), 'ValidationException', 400,
      `1 validation error detected: Value '{2=-1.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: ${range}`);
    await rejectsWith(create({ RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } }), 'InvalidParameterValueException', 400,
      'Invalid function version 1. Function version 1 is already included in routing configuration.');
    await rejectsWith(create({ FunctionVersion: '10', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }), 'ResourceNotFoundException', 404,
      `Function not found: ${ARN}:rc-fn:10`);
    await rejectsWith(create({ RoutingConfig: { AdditionalVersionWeights: { '10': 0.5 } } }), 'ResourceNotFoundException', 404,
      `Function not found: ${ARN}:rc-fn:10`);
    await rejectsWith(create({ FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } }), 'InvalidParameterValueException', 400,
      '$LATEST is not supported for an alias pointing to more than 1 version');
    await rejectsWith(create({ RoutingConfig: { AdditionalVersionWeights: { $LATEST: 0.5 } } }), 'ValidationException', 400,
      "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]");
    await rejectsWith(lambda.send(new CreateAliasCommand({ FunctionName: 'rc-fn-unknown', Name: 'custom', FunctionVersion: '1' })),
      'ResourceNotFoundException', 404, `Function not found: ${ARN}:rc-fn-unknown:1`);
    await rejectsWith(create({ Name: '2024' }), 'ValidationException', 400,
      "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    await rejectsWith(create({ Name: 'a'.repeat(129) }), 'ValidationException', 400, /at 'name' failed to satisfy constraint: Member must have length less than or equal to 128/);
    await rejectsWith(create({ FunctionVersion: 'abc' }), 'ValidationException', 400, /at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern/);

    const dated = await create({ Name: '2024-01-02' });
    assert.equal(dated.Name, '2024-01-02');
    const empty = await create({ Name: 'custom-empty-routingconfig', RoutingConfig: { AdditionalVersionWeights: {} } });
    assert.equal(empty.RoutingConfig, undefined);
    const ok = await create({ RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } });
    assert.deepEqual(ok.RoutingConfig, { AdditionalVersionWeights: { '2': 0.5 } });
    await rejectsWith(create({ RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }), 'ResourceConflictException', 409,
      `Alias already exists: ${ARN}:rc-fn:custom`);
    await rejectsWith(lambda.send(new GetAliasCommand({ FunctionName: 'rc-fn', Name: 'non-existent' })), 'ResourceNotFoundException', 404,
      `Cannot find alias arn: ${ARN}:rc-fn:non-existent`);
    await rejectsWith(lambda.send(new UpdateAliasCommand({ FunctionName: 'rc-fn', Name: 'custom', FunctionVersion: '$LATEST' })),
      'InvalidParameterValueException', 400, '$LATEST is not supported for an alias pointing to more than 1 version');
  });

  test('a version an alias points at cannot be deleted; deleting the function removes its aliases', async () => {
    await twoVersions('del-fn');
    await lambda.send(new CreateAliasCommand({ FunctionName: 'del-fn', Name: 'live', FunctionVersion: '1' }));
    await rejectsWith(lambda.send(new DeleteFunctionCommand({ FunctionName: 'del-fn', Qualifier: '1' })), 'ResourceConflictException', 409,
      `Unable to delete version because the following aliases reference it: [${ARN}:del-fn:live]`);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'del-fn', Qualifier: '2' }));
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'del-fn' }));
    assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1']);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'del-fn' }));
    await twoVersions('del-fn');
    const aliases = await lambda.send(new ListAliasesCommand({ FunctionName: 'del-fn' }));
    assert.deepEqual(aliases.Aliases, []);
  });

  test('versions and aliases survive a restart', async () => {
    await twoVersions('persist-fn');
    const alias = await lambda.send(new CreateAliasCommand({
      FunctionName: 'persist-fn', Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
    }));
    await server.restart();
    lambda = server.lambda();
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'persist-fn' }));
    assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1', '2']);
    const got = await lambda.send(new GetAliasCommand({ FunctionName: 'persist-fn', Name: 'live' }));
    assert.deepEqual(got, { ...alias, $metadata: got.$metadata });
    const next = await lambda.send(new PublishVersionCommand({ FunctionName: 'persist-fn' }));
    assert.equal(next.Version, '2');
    await reconfigure('persist-fn', { STAGE: 'three' });
    const v3 = await lambda.send(new PublishVersionCommand({ FunctionName: 'persist-fn' }));
    assert.equal(v3.Version, '3');
  });
});
