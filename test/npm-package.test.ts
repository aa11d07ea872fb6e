import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { findNpm } from '../src/engine/runtimes/nodejs/npm-registry.js';
import { freePort } from './support/child-server.js';
import { SHARED_NODE_RUNTIMES_DIR } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

/**
 * Lambkin as a user gets it: `npm pack` of this checkout, installed into an empty folder, started
 * with `npx lambkin start`, on the Node that runs this test (CI runs it on each supported line).
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOST_MAJOR = process.versions.node.split('.')[0]!;
// npm and npx are scripts run by the first `node` on PATH: this test's Node.
const PATH = [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
const npm = await findNpm();
const npx = npm ? path.join(path.dirname(npm), 'npx') : null;
const REGISTRY_UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ENETUNREACH/;

describe('the npm package', { skip: npm ? false : 'needs npm (Debian package npm)' }, () => {
  let work: string;
  let app: string;
  let packed: { filename: string; files: { path: string }[] };
  let server: ChildProcess | null = null;
  let stderr = '';
  let skipReason: string | null = null;

  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'lambkin-package-'));
    // Plain mode runs the bootstraps inside the installed package as the unprivileged user.
    chmodSync(work, 0o755);
    app = path.join(work, 'app');
    mkdirSync(app, { mode: 0o755 });
    const env = { ...process.env, PATH };
    // The suite runs from the build already made: `prepare` would rebuild dist/ under the other test files.
    const { stdout } = await run(npm!, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    packed = (JSON.parse(stdout) as (typeof packed)[])[0]!;
    writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'lambkin-install-check', private: true })}\n`);
    try {
      // --ignore-scripts: better-sqlite3's install would download a prebuilt addon (not reachable
      // from CI) or compile SQLite (~2 minutes); the addon this checkout runs on is the same
      // version built for this same Node, and is copied in below instead.
      await run(npm!, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--prefer-offline', path.join(work, packed.filename)], { cwd: app, env, maxBuffer: 64 * 1024 * 1024 });
    } catch (err) {
      const text = String((err as { stderr?: string }).stderr ?? err);
      if (!REGISTRY_UNREACHABLE.test(text)) throw err;
      skipReason = `the npm registry is not reachable: ${text.split('\n').find((l) => REGISTRY_UNREACHABLE.test(l))}`;
    }
  });

  after(async () => {
    if (server?.pid !== undefined && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      process.kill(-server.pid, 'SIGTERM');
      const killer = setTimeout(() => process.kill(-server!.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(work, { recursive: true, force: true });
  });

  test('holds the command, the build and the runtime scripts, not the tests', () => {
    const files = new Set(packed.files.map((f) => f.path));
    for (const file of ['package.json', 'README.md', 'bin/lambkin.js', 'dist/src/cli/main.js', 'dist/src/engine/runtimes/nodejs/bootstrap.js', 'src/engine/runtimes/python/bootstrap.py', 'src/engine/runtimes/ruby/bootstrap.rb']) {
      assert.ok(files.has(file), `${file} is missing from ${packed.filename}`);
    }
    assert.deepEqual([...files].filter((f) => /^(dist\/(test|bench)|test|bench|\.ci)\//.test(f)), []);
  });

  test('installs into an empty folder with the dependency versions this checkout is tested with', (t) => {
    if (skipReason) return t.skip(skipReason);
    const version = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(version(app), version(ROOT), 'package.json must pin better-sqlite3 to the version in package-lock.json');
    const addon = path.join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    mkdirSync(path.dirname(path.join(app, addon)), { recursive: true });
    copyFileSync(path.join(ROOT, addon), path.join(app, addon));
  });

  test('npx lambkin start serves the health check and runs a function, with no deprecation warning', async (t) => {
    if (skipReason) return t.skip(skipReason);
    const port = await freePort();
    // Its own process group: npx's child (the server) goes down with it.
    server = spawn(npx!, ['--node-options=--trace-deprecation', 'lambkin', 'start', '--port', String(port), '--data-dir', path.join(work, 'data')], {
      cwd: app,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PATH, LAMBKIN_LOG_LEVEL: 'warn', LAMBKIN_NODE_RUNTIMES_DIR: SHARED_NODE_RUNTIMES_DIR },
    });
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const url = `http://127.0.0.1:${port}`;
    let health: { status?: string; version?: string } = {};
    for (let i = 0; i < 300 && server.exitCode === null && health.status !== 'ok'; i++) {
      health = await fetch(`${url}/_lambkin/health`).then((r) => r.json() as Promise<typeof health>, () => ({}));
      if (health.status !== 'ok') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(health.status, 'ok', `lambkin did not start: ${stderr}`);
    assert.equal(health.version, (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);

    const lambda = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const FunctionName = 'installed-package';
    // nodejs20.x is past AWS's block-create date: the newest line stands in for a Node 20 host.
    const runtime = HOST_MAJOR === '20' ? 'nodejs24.x' : `nodejs${HOST_MAJOR}.x`;
    const handler = 'exports.handler = async (event) => ({ hello: event.name, node: process.version });\n';
    await lambda.send(new CreateFunctionCommand({ FunctionName, Runtime: runtime as 'nodejs24.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: makeZip({ 'index.js': handler }) } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName });
    const out = await lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from('{"name":"package"}') }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString('utf8'));
    const body = JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8')) as { hello: string; node: string };
    assert.equal(body.hello, 'package');
    assert.match(body.node, new RegExp(`^v${/\d+/.exec(runtime)![0]}\\.`));
    lambda.destroy();

    const warnings = stderr.split('\n').filter((line) => /DeprecationWarning/.test(line));
    assert.deepEqual(warnings, [], stderr);
  });
});
