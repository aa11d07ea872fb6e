import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import {
  CreateFunctionCommand, InvokeCommand, PublishLayerVersionCommand, waitUntilFunctionActiveV2,
  type InvokeCommandOutput, type LambdaClient, type Runtime,
} from '@aws-sdk/client-lambda';
import { hostIsolation } from './support/host-isolation.js';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';
import { spawnSync } from 'node:child_process';

const hostPythonHasBoto3 = () => spawnSync('python3', ['-c', 'import boto3']).status === 0;

function zipOf(files: Record<string, string>): Uint8Array {
  const zip = new AdmZip();
  for (const [name, contents] of Object.entries(files)) zip.addFile(name, Buffer.from(contents), '', 0o644);
  return new Uint8Array(zip.toBuffer());
}

const json = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, any>;

/** Reports what the sandbox lets it see; `secretPath`/`dataDir` come in the event. */
const PROBE = `const fs = require('node:fs');
const attempt = (f) => { try { f(); return 'allowed'; } catch (e) { return e.code; } };
exports.handler = async (event) => {
  const before = attempt(() => fs.readFileSync('/tmp/marker', 'utf8')) === 'allowed' ? fs.readFileSync('/tmp/marker', 'utf8') : null;
  if (event.mark) fs.writeFileSync('/tmp/marker', event.mark);
  return {
    uid: process.getuid(), taskRoot: process.env.LAMBDA_TASK_ROOT, runtimeDir: process.env.LAMBDA_RUNTIME_DIR, cwd: process.cwd(),
    nodePath: process.env.NODE_PATH, before,
    readSecret: attempt(() => fs.readFileSync(event.secretPath)),
    listDataDir: attempt(() => fs.readdirSync(event.dataDir)),
    writeTask: attempt(() => fs.writeFileSync('/var/task/x', '1')),
    pid1: fs.readFileSync('/proc/1/cmdline', 'utf8').split('\\0')[0],
    tmpSize: require('node:child_process').execSync('df -k /tmp | tail -1').toString().trim().split(/\\s+/)[1],
  };
};`;

const LAYER_USER_NODE = `const x = require('x');
exports.handler = async () => ({ x: x.value, opt: require('node:fs').readdirSync('/opt').sort() });`;
const LAYER_USER_PYTHON = `import laymod
try:
    import boto3
    BOTO3 = boto3.__version__
except ImportError:
    BOTO3 = None
def handler(event, context):
    return {"laymod": laymod.VALUE, "boto3": BOTO3}
`;

const HOG = `exports.handler = async (event) => { const b = Buffer.alloc(event.mb * 1024 * 1024, 1); return b.length; };`;

/** Spins for `ms` of wall time and reports the CPU time it got. */
const SPINNER = `exports.handler = async (event) => {
  const start = Date.now(); const cpu = process.cpuUsage();
  while (Date.now() - start < event.ms) {}
  const used = process.cpuUsage(cpu);
  return { wallMs: Date.now() - start, cpuMs: (used.user + used.system) / 1000 };
};`;

const SDK_CALLER = `const { LambdaClient, ListFunctionsCommand } = require('@aws-sdk/client-lambda');
const client = new LambdaClient({});
exports.handler = async () => {
  const out = await client.send(new ListFunctionsCommand({}));
  return { names: out.Functions.map((f) => f.FunctionName).sort(), endpoint: process.env.AWS_ENDPOINT_URL };
};`;

describe('engine isolation: bubblewrap namespaces, cgroups, layers, managed SDK', () => {
  // Whether these tests run is the host's business, not the server's: where bubblewrap (or a
  // cgroup memory controller) is there, a server that fell back to plain (or none) fails them.
  const host = hostIsolation();
  let server: TestServer;
  let lambda: LambdaClient;
  let health: { isolation?: string; cgroups?: string } = {};
  const invoke = (FunctionName: string, event: unknown = {}, extra: Record<string, unknown> = {}) =>
    lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(event)), ...extra }));
  const create = async (name: string, runtime: Runtime, handler: string, files: Record<string, string>, extra: Record<string, unknown> = {}) => {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Handler: handler, Role: ROLE, Code: { ZipFile: zipOf(files) }, ...extra }));
  };

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as typeof health;
    if (host.bubblewrapSkip) return;
    const nodeLayer = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'node-x', Content: { ZipFile: zipOf({ 'nodejs/node_modules/x/index.js': 'exports.value = "from-layer";' }) } }),
    );
    const pyLayer = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'py-mod', Content: { ZipFile: zipOf({ 'python/laymod.py': 'VALUE = "py-layer"\n' }) } }));
    await Promise.all([
      create('probe-a', 'nodejs22.x', 'index.handler', { 'index.js': PROBE }, { EphemeralStorage: { Size: 600 } }),
      create('probe-b', 'nodejs22.x', 'index.handler', { 'index.js': PROBE }),
      create('layer-node', 'nodejs22.x', 'index.handler', { 'index.js': LAYER_USER_NODE }, { Layers: [nodeLayer.LayerVersionArn!, pyLayer.LayerVersionArn!] }),
      create('layer-python', 'python3.12', 'app.handler', { 'app.py': LAYER_USER_PYTHON }, { Layers: [pyLayer.LayerVersionArn!] }),
      create('hog', 'nodejs22.x', 'index.handler', { 'index.js': HOG }, { MemorySize: 128, Timeout: 10 }),
      create('big-hog', 'nodejs22.x', 'index.handler', { 'index.js': HOG }, { MemorySize: 512, Timeout: 10 }),
      create('spinner', 'nodejs22.x', 'index.handler', { 'index.js': SPINNER }, { MemorySize: 128, Timeout: 10 }),
      create('sdk-caller', 'nodejs22.x', 'index.handler', { 'index.js': SDK_CALLER }, { MemorySize: 1769, Timeout: 15 }),
    ]);
    for (const name of ['probe-a', 'probe-b', 'layer-node', 'layer-python', 'hog', 'big-hog', 'spinner', 'sdk-caller']) {
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    }
  });
  after(() => server.stop());

  /** The reason to skip a bubblewrap test on this host, else null after checking the server really sandboxes. */
  const skip = (): string | null => {
    if (host.bubblewrapSkip) return host.bubblewrapSkip;
    assert.equal(health.isolation, 'bubblewrap', 'this host offers bubblewrap, yet the server fell back to plain processes');
    return null;
  };
  /** Likewise for cgroups: skip where the host has none, fail where it has them and the server did not use them. */
  const skipCgroups = (): string | null => {
    if (host.cgroupsSkip) return host.cgroupsSkip;
    assert.ok(health.cgroups === 'v1' || health.cgroups === 'v2', `this host mounts a cgroup memory controller, yet the server reports cgroups '${health.cgroups}'`);
    return null;
  };

  test('health reports the isolation level and cgroup kind this host offers', () => {
    if (host.bubblewrapSkip) assert.equal(health.isolation, 'plain', `bubblewrap is not expected here: ${host.bubblewrapSkip}`);
    else assert.equal(health.isolation, 'bubblewrap');
    if (host.cgroupsSkip) assert.equal(health.cgroups, 'none', `no cgroups expected here: ${host.cgroupsSkip}`);
    else assert.ok(health.cgroups === 'v1' || health.cgroups === 'v2', `cgroups '${health.cgroups}'`);
  });

  test('a function sees /var/task read-only, its own /tmp, runs unprivileged and cannot reach the data directory', async (t) => {
    const why = skip();
    if (why) return t.skip(why);
    const event = { secretPath: `${server.dataDir}/secret`, dataDir: server.dataDir, mark: 'a-was-here' };
    const first = json(await invoke('probe-a', event));
    assert.notEqual(first.uid, 0);
    assert.equal(first.taskRoot, '/var/task');
    assert.equal(first.runtimeDir, '/var/runtime');
    assert.equal(first.cwd, '/var/task');
    assert.equal(first.readSecret, 'ENOENT');
    assert.equal(first.listDataDir, 'ENOENT');
    assert.ok(['EROFS', 'EACCES'].includes(first.writeTask), first.writeTask);
    assert.equal(first.before, null);
    assert.match(first.pid1, /bwrap$/, 'own pid namespace');
    assert.equal(Number(first.tmpSize), 600 * 1024, '/tmp sized by EphemeralStorage');
    assert.match(first.nodePath, /^\/opt\/nodejs\/node22\/node_modules:\/opt\/nodejs\/node_modules:\/var\/runtime\/node_modules:\/var\/runtime:\/var\/task$/);

    const warm = json(await invoke('probe-a', { ...event, mark: undefined }));
    assert.equal(warm.before, 'a-was-here', '/tmp persists across warm invokes');
    const other = json(await invoke('probe-b', { ...event, mark: undefined }));
    assert.equal(other.before, null, "another function's /tmp is not visible");
  });

  test('layers are merged read-only at /opt on the runtime search paths (Node and Python)', async (t) => {
    const why = skip();
    if (why) return t.skip(why);
    const node = json(await invoke('layer-node'));
    assert.deepEqual(node, { x: 'from-layer', opt: ['nodejs', 'python'] });
    const python = await invoke('layer-python');
    assert.equal(python.FunctionError, undefined, Buffer.from(python.Payload!).toString());
    const body = json(python);
    assert.equal(body.laymod, 'py-layer');
    // The interpreter's own site-packages are visible read-only: boto3 where the host's Python has it.
    if (hostPythonHasBoto3()) assert.equal(typeof body.boto3, 'string', 'boto3 importable');
  });

  const maxMemoryUsed = (out: InvokeCommandOutput): number => {
    const report = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    const used = /Max Memory Used: (\d+) MB/.exec(report)?.[1];
    assert.ok(used, report);
    return Number(used);
  };

  test('REPORT carries the kernel peak as Max Memory Used: at least what the handler allocated, at most MemorySize', async (t) => {
    const why = skip() ?? skipCgroups();
    if (why) return t.skip(why);
    const small = await invoke('big-hog', { mb: 1 }, { LogType: 'Tail' });
    assert.equal(small.FunctionError, undefined);
    const baseline = maxMemoryUsed(small);
    // 200 MB of written pages: the environment's peak must include them on top of the runtime's own.
    const large = await invoke('big-hog', { mb: 200 }, { LogType: 'Tail' });
    assert.equal(large.FunctionError, undefined, Buffer.from(large.Payload!).toString());
    const peak = maxMemoryUsed(large);
    assert.ok(baseline > 0 && baseline < 200, `baseline ${baseline} MB`);
    assert.ok(peak >= 200 && peak >= baseline + 150, `peak ${peak} MB after allocating 200 MB (baseline ${baseline} MB)`);
    assert.ok(peak <= 512, `peak ${peak} MB above MemorySize 512`);
  });

  test('exceeding MemorySize kills the runtime; the next invoke gets a fresh environment', async (t) => {
    const why = skip() ?? skipCgroups();
    if (why) return t.skip(why);
    assert.equal(json(await invoke('hog', { mb: 1 })), 1024 * 1024);
    const killed = await invoke('hog', { mb: 300 });
    assert.equal(killed.FunctionError, 'Unhandled');
    const body = json(killed);
    assert.equal(body.errorType, 'Runtime.ExitError');
    assert.match(body.errorMessage, /^RequestId: \S+ Error: Runtime exited with error: signal: killed$/);
    // The environment was discarded: the next invoke starts a fresh one and works.
    assert.equal(json(await invoke('hog', { mb: 1 })), 1024 * 1024);
  });

  test('CPU is proportional to memory: a 128 MB function gets about 128/1769 of one CPU', async (t) => {
    const why = skip() ?? skipCgroups();
    if (why) return t.skip(why);
    const out = await invoke('spinner', { ms: 1000 });
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload!).toString());
    const { wallMs, cpuMs } = json(out) as { wallMs: number; cpuMs: number };
    // 7.2 % of a CPU plus at most one period of carried-over burst; a busy host can only lower it.
    assert.ok(cpuMs / wallMs < 0.2, `CPU share ${(cpuMs / wallMs).toFixed(3)} (${cpuMs} ms of CPU in ${wallMs} ms)`);
    assert.ok(cpuMs > 0, 'the function ran');
  });

  test('Node functions get the AWS SDK v3 without packaging it and reach Lambkin through AWS_ENDPOINT_URL', async (t) => {
    const why = skip();
    if (why) return t.skip(why);
    const out = await invoke('sdk-caller');
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload!).toString());
    const body = json(out);
    assert.ok(body.names.includes('sdk-caller') && body.names.includes('probe-a'), JSON.stringify(body));
  });
});
