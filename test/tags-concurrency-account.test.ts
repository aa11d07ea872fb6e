import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand, CreateFunctionCommand, DeleteAliasCommand, DeleteFunctionConcurrencyCommand,
  DeleteProvisionedConcurrencyConfigCommand, GetAccountSettingsCommand, GetFunctionCommand, GetFunctionConcurrencyCommand,
  GetProvisionedConcurrencyConfigCommand, ListProvisionedConcurrencyConfigsCommand, ListTagsCommand, PublishVersionCommand,
  PutFunctionConcurrencyCommand, PutProvisionedConcurrencyConfigCommand, TagResourceCommand, UntagResourceCommand,
  UpdateFunctionCodeCommand, GetFunctionConfigurationCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

const ACCOUNT = '000000000000';
const fnArn = (name: string, qualifier?: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
const RESOURCE_PATTERN =
  'arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)';

describe('tags, concurrency and account settings', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(() => server.stop());

  const create = async (name: string, extra: Record<string, unknown> = {}) => {
    const out = await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP }, ...extra }));
    await settled(name);
    return out;
  };
  // Polls faster than the SDK waiters (whose minimum delay is a second): provisioning takes 20 ms here.
  const settled = async (name: string) => {
    for (let i = 0; i < 200; i++) {
      const c = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      if (c.State === 'Active' && c.LastUpdateStatus === 'Successful') return;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail(`${name} never settled`);
  };
  const tags = async (arn: string) => (await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags;

  describe('tags', () => {
    test('tag, overwrite, untag and list a function', async () => {
      await create('t-life', { Tags: { key_a: 'value_a' } });
      const arn = fnArn('t-life');
      assert.deepEqual(await tags(arn), { key_a: 'value_a' });
      const tagged = await lambda.send(new TagResourceCommand({ Resource: arn, Tags: { key_b: 'value_b', key_c: 'value_c' } }));
      assert.equal(tagged.$metadata.httpStatusCode, 204);
      await lambda.send(new TagResourceCommand({ Resource: arn, Tags: { key_c: 'value_x' } }));
      assert.deepEqual(await tags(arn), { key_a: 'value_a', key_b: 'value_b', key_c: 'value_x' });
      assert.deepEqual((await lambda.send(new GetFunctionCommand({ FunctionName: 't-life' }))).Tags, { key_a: 'value_a', key_b: 'value_b', key_c: 'value_x' });
      const untagged = await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['key_a', 'key_c', 'nonexisting'] }));
      assert.equal(untagged.$metadata.httpStatusCode, 204);
      assert.deepEqual(await tags(arn), { key_b: 'value_b' });
      await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['key_b'] }));
      assert.deepEqual(await tags(arn), {});
      assert.equal((await lambda.send(new GetFunctionCommand({ FunctionName: 't-life' }))).Tags, undefined);
    });

    test('tag errors', async () => {
      await create('t-err');
      const missing = 'Function not found: ' + fnArn('doesnotexist');
      await rejectsWith(lambda.send(new TagResourceCommand({ Resource: fnArn('doesnotexist'), Tags: { a: 'b' } })), 'ResourceNotFoundException', 404, missing);
      await rejectsWith(lambda.send(new UntagResourceCommand({ Resource: fnArn('doesnotexist'), TagKeys: ['a'] })), 'ResourceNotFoundException', 404, missing);
      await rejectsWith(lambda.send(new ListTagsCommand({ Resource: fnArn('doesnotexist') })), 'ResourceNotFoundException', 404, missing);
      const qualified = 'Tags on function aliases and versions are not supported. Please specify a function ARN.';
      await rejectsWith(lambda.send(new TagResourceCommand({ Resource: fnArn('t-err', 'alias'), Tags: { a: 'b' } })), 'InvalidParameterValueException', 400, qualified);
      await rejectsWith(lambda.send(new TagResourceCommand({ Resource: fnArn('t-err', '$LATEST'), Tags: { a: 'b' } })), 'InvalidParameterValueException', 400, qualified);
      await rejectsWith(
        lambda.send(new TagResourceCommand({ Resource: 'arn:aws:something', Tags: { a: 'b' } })),
        'ValidationException',
        400,
        `1 validation error detected: Value 'arn:aws:something' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: ${RESOURCE_PATTERN}`,
      );
      await rejectsWith(lambda.send(new TagResourceCommand({ Resource: fnArn('t-err'), Tags: {} })), 'InvalidParameterValueException', 400, 'An error occurred and the request cannot be processed.');
      await rejectsWith(
        lambda.send(new UntagResourceCommand({ Resource: fnArn('t-err'), TagKeys: [] })),
        'ValidationException',
        400,
        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
      );
      const capacity = `arn:aws:lambda:us-east-1:${ACCOUNT}:capacity-provider:cp`;
      await rejectsWith(lambda.send(new ListTagsCommand({ Resource: capacity })), 'ResourceNotFoundException', 404, `Capacity provider not found: ${capacity}`);
    });

    test('at most 50 tags, counting those already set', async () => {
      const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${i}_key`, `${i}_value`]));
      await rejectsWith(create('t-limit', { Tags: { ...fifty, extra: 'x' } }), 'InvalidParameterValueException', 400, 'Number of tags exceeds resource tag limit.');
      await create('t-limit');
      await rejectsWith(lambda.send(new TagResourceCommand({ Resource: fnArn('t-limit'), Tags: { ...fifty, extra: 'x' } })), 'InvalidParameterValueException', 400, 'Number of tags exceeds resource tag limit.');
      await lambda.send(new TagResourceCommand({ Resource: fnArn('t-limit'), Tags: fifty }));
      await rejectsWith(lambda.send(new TagResourceCommand({ Resource: fnArn('t-limit'), Tags: { extra: 'x' } })), 'InvalidParameterValueException', 400, 'Number of tags exceeds resource tag limit.');
      assert.equal(Object.keys((await tags(fnArn('t-limit'))) ?? {}).length, 50);
    });

    test('event source mappings are taggable', async () => {
      await create('t-esm');
      // Inserted directly: this test is about tagging, not about creating mappings.
      const uuid = randomUUID();
      await server.lambkin.store
        .insertInto('lambda_event_source_mappings')
        .values({ uuid, account_id: ACCOUNT, region: 'us-east-1', function_name: 't-esm', event_source_arn: null, config: '{}', tags: '{}' })
        .execute();
      const arn = `arn:aws:lambda:us-east-1:${ACCOUNT}:event-source-mapping:${uuid}`;
      await lambda.send(new TagResourceCommand({ Resource: arn, Tags: { A: 'tag-a', B: 'tag-b' } }));
      await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['A'] }));
      assert.deepEqual(await tags(arn), { B: 'tag-b' });
      const other = `arn:aws:lambda:us-east-1:${ACCOUNT}:event-source-mapping:${randomUUID()}`;
      await rejectsWith(lambda.send(new ListTagsCommand({ Resource: other })), 'ResourceNotFoundException', 404, `Event source mapping not found: ${other}`);
      await rejectsWith(lambda.send(new ListTagsCommand({ Resource: `${arn}:alias` })), 'ValidationException', 400, /at 'resource' failed to satisfy constraint/);
    });
  });

  describe('reserved concurrency', () => {
    test('put, get, delete, and GetFunction reports it', async () => {
      await create('c-crud');
      const empty = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'c-crud' }));
      assert.equal(empty.ReservedConcurrentExecutions, undefined);
      const zero = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'c-crud', ReservedConcurrentExecutions: 0 }));
      assert.equal(zero.ReservedConcurrentExecutions, 0);
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'c-crud', ReservedConcurrentExecutions: 3 }));
      assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'c-crud' }))).ReservedConcurrentExecutions, 3);
      assert.deepEqual((await lambda.send(new GetFunctionCommand({ FunctionName: 'c-crud' }))).Concurrency, { ReservedConcurrentExecutions: 3 });
      const deleted = await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'c-crud' }));
      assert.equal(deleted.$metadata.httpStatusCode, 204);
      assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'c-crud' }))).ReservedConcurrentExecutions, undefined);
    });

    test('errors and the unreserved minimum', async () => {
      await create('c-limit');
      await rejectsWith(
        lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'doesnotexist', ReservedConcurrentExecutions: 1 })),
        'ResourceNotFoundException',
        404,
        `Function not found: ${fnArn('doesnotexist', '$LATEST')}`,
      );
      await rejectsWith(
        lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'doesnotexist' })),
        'ResourceNotFoundException',
        404,
        `Function not found: ${fnArn('doesnotexist')}`,
      );
      await rejectsWith(
        lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fnArn('c-limit', '1'), ReservedConcurrentExecutions: 1 })),
        'InvalidParameterValueException',
        400,
        'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
      );
      const belowMin = "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].";
      await rejectsWith(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'c-limit', ReservedConcurrentExecutions: 901 })), 'InvalidParameterValueException', 400, belowMin);
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'c-limit', ReservedConcurrentExecutions: 900 }));
      const settings = await lambda.send(new GetAccountSettingsCommand({}));
      assert.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 100);
      await create('c-limit-2');
      await rejectsWith(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'c-limit-2', ReservedConcurrentExecutions: 1 })), 'InvalidParameterValueException', 400, belowMin);
      await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'c-limit' }));
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'c-limit-2', ReservedConcurrentExecutions: 1 }));
      await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'c-limit-2' }));
    });
  });

  describe('provisioned concurrency', () => {
    const publishV1 = async (name: string) => {
      await create(name);
      return lambda.send(new PublishVersionCommand({ FunctionName: name }));
    };
    const put = (name: string, qualifier: string, n: number) =>
      lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier, ProvisionedConcurrentExecutions: n }));
    const get = (name: string, qualifier: string) => lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier }));
    const waitReady = async (name: string, qualifier: string) => {
      // READY follows the environments' real Init now, which a loaded machine can slow down.
      for (let i = 0; i < 1000; i++) {
        const got = await get(name, qualifier);
        if (got.Status === 'READY') return got;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.fail('provisioned concurrency never became READY');
    };

    test('put is 202 IN_PROGRESS, then READY; list and delete', async () => {
      await publishV1('pc-life');
      const out = await put('pc-life', '1', 2);
      assert.equal(out.$metadata.httpStatusCode, 202);
      assert.equal(out.Status, 'IN_PROGRESS');
      assert.equal(out.RequestedProvisionedConcurrentExecutions, 2);
      assert.equal(out.AllocatedProvisionedConcurrentExecutions, 0);
      assert.equal(out.AvailableProvisionedConcurrentExecutions, 0);
      assert.match(out.LastModified ?? '', /\+0000$/);
      const readyCfg = await waitReady('pc-life', '1');
      assert.equal(readyCfg.AllocatedProvisionedConcurrentExecutions, 2);
      assert.equal(readyCfg.AvailableProvisionedConcurrentExecutions, 2);
      const listed = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'pc-life' }));
      assert.equal(listed.ProvisionedConcurrencyConfigs?.length, 1);
      assert.equal(listed.ProvisionedConcurrencyConfigs?.[0]?.FunctionArn, fnArn('pc-life', '1'));
      assert.equal(listed.ProvisionedConcurrencyConfigs?.[0]?.RequestedProvisionedConcurrentExecutions, 2);
      assert.equal((await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.UnreservedConcurrentExecutions, 998);
      const deleted = await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-life', Qualifier: '1' }));
      assert.equal(deleted.$metadata.httpStatusCode, 204);
      await rejectsWith(get('pc-life', '1'), 'ProvisionedConcurrencyConfigNotFoundException', 404, 'No Provisioned Concurrency Config found for this function');
      assert.deepEqual((await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'pc-life' }))).ProvisionedConcurrencyConfigs, []);
      const again = await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-life', Qualifier: '1' }));
      assert.equal(again.$metadata.httpStatusCode, 204);
    });

    test('qualifier and function errors', async () => {
      await publishV1('pc-err');
      await rejectsWith(put('pc-err', '$LATEST', 1), 'InvalidParameterValueException', 400, 'Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
      await rejectsWith(get('pc-err', '$LATEST'), 'InvalidParameterValueException', 400, 'The function resource provided must be an alias or a published version.');
      await rejectsWith(get('pc-err', '10'), 'ResourceNotFoundException', 404, `Function not found: ${fnArn('pc-err', '10')}`);
      await rejectsWith(get('pc-err', 'noalias'), 'ResourceNotFoundException', 404, `Cannot find alias arn: ${fnArn('pc-err', 'noalias')}`);
      await rejectsWith(get('doesnotexist', 'noalias'), 'ResourceNotFoundException', 404, `Cannot find alias arn: ${fnArn('doesnotexist', 'noalias')}`);
      await rejectsWith(put('doesnotexist', '1', 1), 'ResourceNotFoundException', 404, `Function not found: ${fnArn('doesnotexist', '1')}`);
      await rejectsWith(
        lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'doesnotexist' })),
        'ResourceNotFoundException',
        404,
        `Function not found: ${fnArn('doesnotexist')}`,
      );
      await rejectsWith(
        put('pc-err', '1', 0),
        'ValidationException',
        400,
        "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      await rejectsWith(get('pc-err', '1'), 'ProvisionedConcurrencyConfigNotFoundException', 404, 'No Provisioned Concurrency Config found for this function');
    });

    test('an alias and its version cannot both be provisioned', async () => {
      await publishV1('pc-alias');
      await lambda.send(new CreateAliasCommand({ FunctionName: 'pc-alias', Name: 'live', FunctionVersion: '1' }));
      await put('pc-alias', '1', 1);
      await rejectsWith(put('pc-alias', 'live', 1), 'ResourceConflictException', 409, "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
      await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-alias', Qualifier: '1' }));
      await put('pc-alias', 'live', 1);
      await rejectsWith(put('pc-alias', '1', 1), 'ResourceConflictException', 409, 'Version is pointed by a Provisioned Concurrency alias');
      const listed = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'pc-alias' }));
      assert.deepEqual(listed.ProvisionedConcurrencyConfigs?.map((c) => c.FunctionArn), [fnArn('pc-alias', 'live')]);
      await lambda.send(new DeleteAliasCommand({ FunctionName: 'pc-alias', Name: 'live' }));
      await rejectsWith(get('pc-alias', 'live'), 'ResourceNotFoundException', 404, `Cannot find alias arn: ${fnArn('pc-alias', 'live')}`);
      assert.deepEqual((await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'pc-alias' }))).ProvisionedConcurrencyConfigs, []);
    });

    test('reserved and provisioned concurrency constrain each other', async () => {
      await publishV1('pc-reserved');
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'pc-reserved', ReservedConcurrentExecutions: 2 }));
      await put('pc-reserved', '1', 2);
      await rejectsWith(
        lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'pc-reserved', ReservedConcurrentExecutions: 1 })),
        'InvalidParameterValueException',
        400,
        " ReservedConcurrentExecutions  1 should not be lower than function's total provisioned concurrency [2].",
      );
      await rejectsWith(put('pc-reserved', '1', 3), 'InvalidParameterValueException', 400, 'Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function');
      await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-reserved', Qualifier: '1' }));
      await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'pc-reserved' }));
    });

    test('provisioned concurrency of unreserved functions draws on the unreserved pool', async () => {
      await publishV1('pc-pool');
      await rejectsWith(put('pc-pool', '1', 1001), 'InvalidParameterValueException', 400, "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [1000].");
      await rejectsWith(
        put('pc-pool', '1', 901),
        'InvalidParameterValueException',
        400,
        "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
      );
    });

    test('configs survive a restart and settle to READY afterwards', async () => {
      await publishV1('pc-persist');
      await put('pc-persist', '1', 1);
      await server.restart();
      lambda = server.lambda();
      const got = await waitReady('pc-persist', '1');
      assert.equal(got.RequestedProvisionedConcurrentExecutions, 1);
      await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-persist', Qualifier: '1' }));
    });
  });

  describe('account settings', () => {
    test('limits and real usage', async () => {
      const before = await lambda.send(new GetAccountSettingsCommand({}));
      assert.deepEqual(
        { ...before.AccountLimit, UnreservedConcurrentExecutions: undefined },
        { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: undefined },
      );
      await create('acct-fn');
      const afterCreate = await lambda.send(new GetAccountSettingsCommand({}));
      assert.equal(afterCreate.AccountUsage?.FunctionCount, (before.AccountUsage?.FunctionCount ?? 0) + 1);
      assert.equal((afterCreate.AccountUsage?.TotalCodeSize ?? 0) - (before.AccountUsage?.TotalCodeSize ?? 0), NODE_HANDLER_ZIP.length);
      // A published version stores its code again.
      await lambda.send(new PublishVersionCommand({ FunctionName: 'acct-fn' }));
      const afterPublish = await lambda.send(new GetAccountSettingsCommand({}));
      assert.equal((afterPublish.AccountUsage?.TotalCodeSize ?? 0) - (afterCreate.AccountUsage?.TotalCodeSize ?? 0), NODE_HANDLER_ZIP.length);
      const bigger = makeZip({ 'index.js': 'exports.handler = async () => "a much longer handler body than before";\n' });
      await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'acct-fn', ZipFile: bigger }));
      await settled('acct-fn');
      const afterUpdate = await lambda.send(new GetAccountSettingsCommand({}));
      assert.equal((afterUpdate.AccountUsage?.TotalCodeSize ?? 0) - (afterPublish.AccountUsage?.TotalCodeSize ?? 0), bigger.length - NODE_HANDLER_ZIP.length);
    });

    test('reserved concurrency and tags survive a restart', async () => {
      await create('persist-fn', { Tags: { a: '1' } });
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'persist-fn', ReservedConcurrentExecutions: 5 }));
      await lambda.send(new TagResourceCommand({ Resource: fnArn('persist-fn'), Tags: { b: '2' } }));
      const before = await lambda.send(new GetAccountSettingsCommand({}));
      await server.restart();
      lambda = server.lambda();
      assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'persist-fn' }))).ReservedConcurrentExecutions, 5);
      assert.deepEqual(await tags(fnArn('persist-fn')), { a: '1', b: '2' });
      assert.deepEqual((await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit, before.AccountLimit);
      await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'persist-fn' }));
    });
  });
});
