import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

// A runtime that outlives its server (a kill -9 mid-spawn) may find another HTTP server on its
// Runtime API's port. AWS's runtime clients stop when `next` does not answer 200; ours must too,
// instead of running the handler on every error page as fast as the other server answers.
const NODE_BOOTSTRAP = fileURLToPath(new URL('../src/engine/runtimes/nodejs/bootstrap.js', import.meta.url));
const PYTHON_BOOTSTRAP = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../src/engine/runtimes/python/bootstrap.py');
const hasPython = spawnSync('python3', ['--version']).status === 0;

function exitOf(command: string, args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after 5 s: ${stderr}`));
    }, 5000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('a runtime whose Runtime API is gone stops', () => {
  let server: Server;
  let api: string;
  let calls = 0;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lambkin-lost-'));
    writeFileSync(path.join(dir, 'index.js'), 'exports.handler = async () => ({ ran: true });');
    writeFileSync(path.join(dir, 'app.py'), 'def handler(event, context):\n    return {"ran": True}\n');
    server = createServer((_req, res) => {
      calls++;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not a Runtime API');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('Lambkin\'s Node bootstrap exits when next answers 404', async () => {
    calls = 0;
    const env = { AWS_LAMBDA_RUNTIME_API: api, _HANDLER: 'index.handler', LAMBDA_TASK_ROOT: dir, AWS_LAMBDA_FUNCTION_NAME: 'lost' };
    const { code, stderr } = await exitOf(process.execPath, [NODE_BOOTSTRAP], env, dir);
    assert.notEqual(code, 0);
    assert.match(stderr, /answered 404/);
    assert.equal(calls, 1);
  });

  test('Lambkin\'s Python bootstrap exits when next answers 404', { skip: hasPython ? false : 'python3 is not installed (Debian package python3)' }, async () => {
    calls = 0;
    const env = { AWS_LAMBDA_RUNTIME_API: api, _HANDLER: 'app.handler', LAMBDA_TASK_ROOT: dir, AWS_LAMBDA_FUNCTION_NAME: 'lost' };
    const { code, stderr } = await exitOf('python3', [PYTHON_BOOTSTRAP], env, dir);
    assert.notEqual(code, 0);
    assert.match(stderr, /answered 404/);
    assert.equal(calls, 1);
  });

  test('Lambkin\'s Node bootstrap exits when its server is gone: Runtime API refused, output pipes closed', async () => {
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const port = (gone.address() as AddressInfo).port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`, _HANDLER: 'index.handler', LAMBDA_TASK_ROOT: dir };
    const child = spawn(process.execPath, [NODE_BOOTSTRAP], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    // The server's ends of the pipes close, as when it is killed.
    child.stdout.destroy();
    child.stderr.destroy();
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('still running after 5 s'));
      }, 5000);
      child.on('exit', (status) => {
        clearTimeout(timer);
        resolve(status);
      });
    });
    assert.notEqual(code, 0);
  });
});
