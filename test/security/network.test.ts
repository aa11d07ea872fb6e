import assert from 'node:assert/strict';
import { promises as dnsPromises } from 'node:dns';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type LambdaClient, type Runtime } from '@aws-sdk/client-lambda';
import { hostIsolation } from '../support/host-isolation.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ROLE } from '../support/zip.js';

/**
 * What a function's network reaches (issue: an attacker function took over another function's
 * invocations through its Runtime API on the host's loopback, and reached host-only databases).
 * Real server, real functions, attacks run from inside them.
 */

function zipOf(files: Record<string, string>): Uint8Array {
  const zip = new AdmZip();
  for (const [name, contents] of Object.entries(files)) zip.addFile(name, Buffer.from(contents), '', 0o644);
  return new Uint8Array(zip.toBuffer());
}

/** Node attacker: lists what it can see listening and tries every host loopback port it is given. */
const NODE_PROBE = `const net = require('node:net');
const fs = require('node:fs');
const http = require('node:http');
const tryConnect = (host, port) => new Promise((resolve) => {
  const socket = net.connect({ host, port });
  const done = (result) => { socket.destroy(); resolve(result); };
  socket.setTimeout(1500, () => done('ETIMEDOUT'));
  socket.once('connect', () => done('connected'));
  socket.once('error', (e) => done(e.code));
});
const stealNext = (port) => new Promise((resolve) => {
  const req = http.get({ host: '127.0.0.1', port, path: '/2018-06-01/runtime/invocation/next', timeout: 1500 }, (res) => { res.resume(); resolve(res.statusCode); });
  req.on('timeout', () => { req.destroy(); resolve('ETIMEDOUT'); });
  req.on('error', (e) => resolve(e.code));
});
const listening = () => fs.readFileSync('/proc/net/tcp', 'utf8').split('\\n').slice(1).filter((l) => l.trim() && l.trim().split(/\\s+/)[3] === '0A')
  .map((l) => parseInt(l.trim().split(/\\s+/)[1].split(':')[1], 16));
exports.handler = async (event) => {
  const loopback = {};
  for (const port of event.ports ?? []) loopback[port] = await tryConnect('127.0.0.1', port);
  const next = {};
  for (const port of event.nextPorts ?? []) next[port] = await stealNext(port);
  return {
    runtimeApi: process.env.AWS_LAMBDA_RUNTIME_API,
    listening: listening(),
    loopback, next,
    outside: event.outside ? await tryConnect(event.outside.host, event.outside.port) : null,
    resolvConf: fs.readFileSync('/etc/resolv.conf', 'utf8'),
    dns: event.resolve ? await require('node:dns').promises.resolve4(event.resolve).then((a) => (a.length > 0 ? 'resolved' : 'empty'), (e) => e.code) : null,
  };
};`;

const PYTHON_PROBE = `import os, socket
def _try(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1.5)
    try:
        s.connect((host, port))
        return "connected"
    except socket.timeout:
        return "ETIMEDOUT"
    except OSError as e:
        return {111: "ECONNREFUSED", 113: "EHOSTUNREACH", 101: "ENETUNREACH"}.get(e.errno, str(e.errno))
    finally:
        s.close()
def handler(event, context):
    listening = []
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            parts = line.split()
            if len(parts) > 3 and parts[3] == "0A":
                listening.append(int(parts[1].split(":")[1], 16))
    return {
        "runtimeApi": os.environ.get("AWS_LAMBDA_RUNTIME_API"),
        "listening": listening,
        "loopback": {str(p): _try("127.0.0.1", p) for p in event.get("ports", [])},
    }
`;

const SDK_CALLER = `const { LambdaClient, GetFunctionCommand } = require('@aws-sdk/client-lambda');
const client = new LambdaClient({});
exports.handler = async () => ({ name: (await client.send(new GetFunctionCommand({ FunctionName: 'sdk-caller' }))).Configuration.FunctionName });`;

/** Ports listening on the host's 127.0.0.1 (and 0.0.0.0) as the test sees them: other environments' Runtime APIs among them. */
function hostLoopbackListeners(): number[] {
  const ports = new Set<number>();
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[3] !== '0A') continue;
    const [address, port] = fields[1]!.split(':');
    if (address === '0100007F' || address === '00000000') ports.add(parseInt(port!, 16));
  }
  return [...ports].sort((a, b) => a - b);
}

function hostNonLoopbackAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

function listen(host: string): Promise<Server & { port: number }> {
  // A probe that connects and leaves at once resets the connection: nothing to report.
  const server = createServer((socket) => socket.on('error', () => undefined).end('hello\n'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve(Object.assign(server, { port: (server.address() as { port: number }).port })));
  });
}

const json = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8')) as Record<string, any>;

async function createFunctions(lambda: LambdaClient, names: [string, Runtime, string, Record<string, string>][]): Promise<void> {
  for (const [name, runtime, handler, files] of names) {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Handler: handler, Role: ROLE, Code: { ZipFile: zipOf(files) }, Timeout: 30, MemorySize: 256 }));
  }
  for (const [name] of names) await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
}

/**
 * Skips only where the host lacks bubblewrap or pasta (support/host-isolation.ts); where it has
 * them (or CI requires them) a server that did not isolate the network fails these tests.
 */
async function skipReason(server: TestServer): Promise<string | false> {
  const { networkSkip } = hostIsolation();
  if (networkSkip) return networkSkip;
  const health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as { isolation?: string; network?: string };
  assert.equal(health.isolation, 'bubblewrap', 'this host has bubblewrap: the server must use it');
  assert.equal(health.network, 'namespace', 'this host has pasta: each environment must get its own network namespace');
  return false;
}

describe('function network: own Runtime API only, no host loopback services', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let skip: string | false = false;
  let hostOnly: Server & { port: number };
  let outside: (Server & { port: number }) | undefined;
  const invoke = async (name: string, event: unknown) => json((await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }))).Payload);

  before(async () => {
    hostOnly = await listen('127.0.0.1');
    const address = hostNonLoopbackAddress();
    if (address) outside = await listen(address);
    server = await startTestServer();
    lambda = server.lambda();
    skip = await skipReason(server);
    if (skip) return;
    await createFunctions(lambda, [
      ['victim', 'nodejs22.x', 'index.handler', { 'index.js': 'exports.handler = async (event) => ({ victim: true, card: event.card });' }],
      ['attacker', 'nodejs22.x', 'index.handler', { 'index.js': NODE_PROBE }],
      ['attacker-py', 'python3.12', 'app.handler', { 'app.py': PYTHON_PROBE }],
      ['sdk-caller', 'nodejs22.x', 'index.handler', { 'index.js': SDK_CALLER }],
    ]);
  });
  after(async () => {
    await server?.stop();
    hostOnly?.close();
    outside?.close();
  });

  test('the Runtime API is 127.0.0.1:9001 and /proc/net/tcp shows only the environment\'s own listeners', async (t) => {
    if (skip) return t.skip(skip);
    await invoke('victim', { card: 'warm' });
    const endpointPort = Number(new URL(server.url).port);
    for (const name of ['attacker', 'attacker-py']) {
      const seen = await invoke(name, {});
      assert.equal(seen.runtimeApi, '127.0.0.1:9001', name);
      const listening = new Set<number>(seen.listening);
      assert.ok(listening.has(9001), `${name} sees its own Runtime API`);
      for (const port of listening) assert.ok(port === 9001 || port === endpointPort, `${name} sees only 9001 and Lambkin's port, saw ${[...listening].join(',')}`);
    }
  });

  test("an environment's network costs the host no inotify instance (a user has 128 of them)", async (t) => {
    if (skip) return t.skip(skip);
    await invoke('victim', { card: 'inotify' });
    // The server runs in this process: its pasta children are ours.
    const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    const pastas = children.filter((pid) => /^pas/.test(readFileSync(`/proc/${pid}/comm`, 'utf8')));
    assert.ok(pastas.length > 0, 'each environment has a pasta');
    for (const pid of pastas) {
      const inotify = readdirSync(`/proc/${pid}/fd`).filter((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:inotify';
        } catch {
          return false;
        }
      });
      assert.equal(inotify.length, 0, `pasta ${pid} holds an inotify instance`);
    }
  });

  test("no host loopback port but Lambkin's is reachable: other environments' Runtime APIs, databases, the test's own listener (Node and Python)", async (t) => {
    if (skip) return t.skip(skip);
    await invoke('victim', { card: 'warm' });
    const endpointPort = Number(new URL(server.url).port);
    const ports = hostLoopbackListeners().filter((p) => p !== 9001);
    assert.ok(ports.includes(hostOnly.port));
    assert.ok(ports.length > 2, 'the host has other environments and services listening');
    for (const name of ['attacker', 'attacker-py']) {
      const seen = await invoke(name, { ports });
      for (const port of ports) {
        const result = seen.loopback[String(port)];
        if (port === endpointPort) assert.equal(result, 'connected', `${name}: Lambkin's endpoint`);
        else assert.notEqual(result, 'connected', `${name}: host loopback port ${port} must be unreachable`);
      }
    }
  });

  test("GET /next on any host loopback port cannot take another function's invocation", async (t) => {
    if (skip) return t.skip(skip);
    await invoke('victim', { card: 'warm' });
    const endpointPort = Number(new URL(server.url).port);
    const nextPorts = hostLoopbackListeners().filter((p) => p !== 9001 && p !== endpointPort);
    const [attack, victim] = await Promise.all([invoke('attacker', { nextPorts }), (async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return invoke('victim', { card: '4111-1111-1111-1111' });
    })()]);
    for (const port of nextPorts) assert.notEqual(attack.next[String(port)], 200, `port ${port} answered /next`);
    assert.deepEqual(victim, { victim: true, card: '4111-1111-1111-1111' });
  });

  test("the function's own SDK call reaches Lambkin through AWS_ENDPOINT_URL", async (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(await invoke('sdk-caller', {}), { name: 'sdk-caller' });
  });

  test("DNS: the environment's resolver is pasta's, which asks the host's resolver from the host side", async (t) => {
    if (skip) return t.skip(skip);
    const name = 'registry.npmjs.org';
    const hostAnswer = await dnsPromises.resolve4(name).then(() => 'resolved', (e: NodeJS.ErrnoException) => e.code ?? 'error');
    const seen = await invoke('attacker', { resolve: name });
    if (lstatSync('/etc/resolv.conf').isFile()) assert.match(String(seen.resolvConf), /^nameserver 10\.0\.2\.3$/m);
    if (hostAnswer !== 'resolved') return t.skip(`this host cannot resolve ${name} itself (${hostAnswer})`);
    assert.equal(seen.dns, 'resolved', JSON.stringify(seen));
  });

  test("the host's non-loopback address is reachable like any other host's", async (t) => {
    if (skip) return t.skip(skip);
    if (!outside) return t.skip('the host has no non-loopback IPv4 address to listen on');
    const seen = await invoke('attacker', { outside: { host: hostNonLoopbackAddress(), port: outside.port } });
    assert.equal(seen.outside, 'connected');
  });
});

describe('function network: LAMBKIN_FUNCTION_HOST_PORTS lets named host loopback ports through', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let skip: string | false = false;
  let allowed: Server & { port: number };
  let denied: Server & { port: number };

  before(async () => {
    allowed = await listen('127.0.0.1');
    denied = await listen('127.0.0.1');
    server = await startTestServer({ LAMBKIN_FUNCTION_HOST_PORTS: String(allowed.port) });
    lambda = server.lambda();
    skip = await skipReason(server);
    if (skip) return;
    await createFunctions(lambda, [
      ['db-user', 'nodejs22.x', 'index.handler', { 'index.js': NODE_PROBE }],
      ['db-user-py', 'python3.12', 'app.handler', { 'app.py': PYTHON_PROBE }],
    ]);
  });
  after(async () => {
    await server?.stop();
    allowed?.close();
    denied?.close();
  });

  test('an allowed port connects, any other still does not (Node and Python)', async (t) => {
    if (skip) return t.skip(skip);
    for (const name of ['db-user', 'db-user-py']) {
      const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ ports: [allowed.port, denied.port] })) }));
      const seen = json(out.Payload);
      assert.equal(seen.loopback[String(allowed.port)], 'connected', name);
      assert.notEqual(seen.loopback[String(denied.port)], 'connected', name);
    }
  });
});

describe('function network: LAMBKIN_FUNCTION_NETWORK=host shares the host network, on purpose and said', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let hostOnly: Server & { port: number };

  before(async () => {
    hostOnly = await listen('127.0.0.1');
    server = await startTestServer({ LAMBKIN_FUNCTION_NETWORK: 'host' });
    lambda = server.lambda();
  });
  after(async () => {
    await server?.stop();
    hostOnly?.close();
  });

  test('health says host, and a function reaches a host loopback port no one allowed', async (t) => {
    const { bubblewrapSkip } = hostIsolation();
    if (bubblewrapSkip) return t.skip(bubblewrapSkip);
    const health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as { network?: string };
    assert.equal(health.network, 'host');
    await createFunctions(lambda, [['shares-host', 'nodejs22.x', 'index.handler', { 'index.js': NODE_PROBE }]]);
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'shares-host', Payload: Buffer.from(JSON.stringify({ ports: [hostOnly.port] })) }));
    assert.equal(json(out.Payload).loopback[String(hostOnly.port)], 'connected');
  });

  test('any other value is refused at start', async () => {
    await assert.rejects(startTestServer({ LAMBKIN_FUNCTION_NETWORK: 'none' }), /invalid LAMBKIN_FUNCTION_NETWORK: none \(isolated or host\)/);
  });
});

describe('function network: a pasta that cannot set the namespace up', () => {
  test('leaves the server on the host network with its reason, instead of hanging at start', async (t) => {
    const { networkSkip } = hostIsolation();
    if (networkSkip) return t.skip(networkSkip);
    // A `pasta` first on PATH that fails at once: the trial sandbox waits for a go-ahead that never comes.
    const bin = mkdtempSync(path.join(tmpdir(), 'lambkin-fake-pasta-'));
    writeFileSync(path.join(bin, 'pasta'), '#!/bin/sh\necho "cannot open network namespace" >&2\nexit 1\n', { mode: 0o755 });
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath}`;
    let server: TestServer | undefined;
    try {
      server = await startTestServer();
    } finally {
      process.env.PATH = savedPath;
      rmSync(bin, { recursive: true, force: true });
    }
    try {
      const health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as { isolation?: string; network?: string };
      assert.equal(health.isolation, 'bubblewrap');
      assert.equal(health.network, 'host');
    } finally {
      await server.stop();
    }
  });
});
