import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FunctionInvoker, functionRefOfArn, type FunctionRef } from '../src/services/lambda/function-invoker.js';
import type { FunctionConfiguration } from '../src/services/lambda/model.js';
import { writeAlias } from '../src/services/lambda/tables/aliases-table.js';
import { FunctionsTable } from '../src/services/lambda/tables/functions-table.js';
import { openStore, type Store } from '../src/store/database.js';

// The one owner of "invoke function X by name": resolution as every caller (Invoke, doors,
// mappings, async attempts) sees it. Running code is covered end to end elsewhere.
const scope = { accountId: '000000000000', region: 'us-east-1' };
const ref = (name: string, qualifier: string | null = null): FunctionRef => ({ scope, name, qualifier });

function config(name: string, version: string, state: string): FunctionConfiguration {
  return { FunctionName: name, Version: version, State: state, Timeout: 7, MemorySize: 128 } as unknown as FunctionConfiguration;
}

describe('FunctionInvoker resolution', () => {
  let dir: string;
  let db: Store;
  let invoker: FunctionInvoker;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lambkin-invoker-'));
    db = await openStore({ kind: 'sqlite', dataDir: dir });
    const functions = new FunctionsTable(db);
    invoker = new FunctionInvoker({ db, functions });
    await functions.insertFunction(scope, 'fn', 0, {});
    await functions.putVersion(scope, 'fn', '$LATEST', config('fn', '$LATEST', 'Active'), 'aa', 0);
    await functions.putVersion(scope, 'fn', '1', config('fn', '1', 'Active'), 'aa', 0);
    await functions.putVersion(scope, 'fn', '2', config('fn', '2', 'Active'), 'aa', 0);
    await writeAlias(db, scope, 'fn', { AliasArn: '', Name: 'live', FunctionVersion: '1', Description: '', RevisionId: 'r' });
    await writeAlias(db, scope, 'fn', { AliasArn: '', Name: 'split', FunctionVersion: '1', Description: '', RevisionId: 'r', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } });
    await writeAlias(db, scope, 'fn', { AliasArn: '', Name: 'dangling', FunctionVersion: '9', Description: '', RevisionId: 'r' });
    await functions.insertFunction(scope, 'pending', 0, {});
    await functions.putVersion(scope, 'pending', '$LATEST', config('pending', '$LATEST', 'Pending'), 'aa', 0);
    await functions.insertFunction(scope, 'inactive', 0, {});
    await functions.putVersion(scope, 'inactive', '$LATEST', config('inactive', '$LATEST', 'Inactive'), 'aa', 0);
    await functions.updateFunction(scope, 'inactive', { reservedConcurrency: 0 });
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('no qualifier and $LATEST run $LATEST; a version number runs that version', async () => {
    for (const [qualifier, version] of [[null, '$LATEST'], ['$LATEST', '$LATEST'], ['2', '2']] as const) {
      const resolution = await invoker.resolve(ref('fn', qualifier));
      assert.equal(resolution.kind, 'resolved');
      if (resolution.kind === 'resolved') assert.equal(resolution.invocation.version, version);
    }
  });

  test('an alias runs its version; a weighted alias draws each invocation between its versions', async () => {
    const live = await invoker.resolve(ref('fn', 'live'));
    assert.equal(live.kind === 'resolved' && live.invocation.version, '1');
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const split = await invoker.resolve(ref('fn', 'split'));
      if (split.kind === 'resolved') seen.add(split.invocation.version);
    }
    assert.deepEqual([...seen].sort(), ['1', '2']);
  });

  test('a missing function names the unqualified ARN; a missing qualifier the qualified one', async () => {
    assert.deepEqual(await invoker.resolve(ref('nope', 'live')), { kind: 'function-not-found', arn: 'arn:aws:lambda:us-east-1:000000000000:function:nope' });
    assert.deepEqual(await invoker.resolve(ref('fn', 'gone')), { kind: 'qualifier-not-found', arn: 'arn:aws:lambda:us-east-1:000000000000:function:fn:gone' });
    assert.deepEqual(await invoker.resolve(ref('fn', '7')), { kind: 'qualifier-not-found', arn: 'arn:aws:lambda:us-east-1:000000000000:function:fn:7' });
    assert.equal((await invoker.resolve(ref('fn', 'dangling'))).kind, 'qualifier-not-found');
  });

  test('Pending does not run, Inactive does (an invoke re-activates it); reserved concurrency comes along', async () => {
    const pending = await invoker.resolve(ref('pending'));
    assert.ok(pending.kind === 'resolved' && !pending.invocation.runnable && pending.invocation.state === 'Pending');
    const inactive = await invoker.resolve(ref('inactive'));
    assert.ok(inactive.kind === 'resolved' && inactive.invocation.runnable && inactive.invocation.reservedConcurrency === 0);
  });

  test('reused routing follows an alias moved after the reuse window, not before', async () => {
    const now = 1_000_000;
    const first = await invoker.resolve(ref('fn', 'live'), { reuseRoutingForMs: 1000, now });
    assert.equal(first.kind === 'resolved' && first.invocation.version, '1');
    await writeAlias(db, scope, 'fn', { AliasArn: '', Name: 'live', FunctionVersion: '2', Description: '', RevisionId: 'r2' });
    const within = await invoker.resolve(ref('fn', 'live'), { reuseRoutingForMs: 1000, now: now + 500 });
    assert.equal(within.kind === 'resolved' && within.invocation.version, '1');
    const after = await invoker.resolve(ref('fn', 'live'), { reuseRoutingForMs: 1000, now: now + 1500 });
    assert.equal(after.kind === 'resolved' && after.invocation.version, '2');
    assert.equal((await invoker.resolve(ref('fn', 'live'))).kind === 'resolved', true);
  });

  test('invoke without an engine refuses instead of pretending', async () => {
    const resolution = await invoker.resolve(ref('fn'));
    assert.equal(resolution.kind, 'resolved');
    if (resolution.kind === 'resolved') await assert.rejects(invoker.invoke(resolution.invocation, Buffer.from('{}'), {}), /no engine/);
  });

  test('function ARNs become references only with their account and region', () => {
    assert.deepEqual(functionRefOfArn('arn:aws:lambda:eu-west-1:111111111111:function:f:live'), { scope: { accountId: '111111111111', region: 'eu-west-1' }, name: 'f', qualifier: 'live' });
    assert.equal(functionRefOfArn('f'), null);
  });
});
