import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type InvokeCommandOutput, type LambdaClient, type Runtime } from '@aws-sdk/client-lambda';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

const CLI = new URL('../../bin/lambkin.js', import.meta.url).pathname;
const run = promisify(execFile);

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A minimal client of Node's inspector protocol (what Chrome DevTools and VS Code speak). */
class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, (result: Record<string, unknown>) => void>();
  private readonly listeners: Array<(method: string, params: Record<string, unknown>) => void> = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message.result ?? { error: message.error });
      else if (message.method) for (const l of this.listeners) l(message.method, message.params ?? {});
    });
  }

  static connect(url: string): Promise<Inspector> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new Inspector(socket)));
      socket.once('error', reject);
    });
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  next(method: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const listener = (m: string, params: Record<string, unknown>) => {
        if (m !== method) return;
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(params);
      };
      this.listeners.push(listener);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/**
 * The inspector's target list through the session's port, asked once right after the invoke: the
 * relay holds the request until the environment's runtime listens.
 */
async function inspectorTarget(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/json/list`);
  const targets = (await res.json()) as Array<{ webSocketDebuggerUrl: string }>;
  assert.ok(targets[0], 'the inspector lists its target');
  return targets[0].webSocketDebuggerUrl;
}

async function debugSwitch(server: TestServer, method: 'PUT' | 'DELETE', name: string, port?: number) {
  const res = await fetch(`${server.url}/_lambkin/debug/${name}${port ? `?port=${port}` : ''}`, { method });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('a debugger in the function', () => {
  let server: TestServer;
  let lambda: LambdaClient;

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(() => server.stop());

  async function create(name: string, runtime: Runtime, handler: string, files: Record<string, string>, variables?: Record<string, string>) {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: runtime, Handler: handler, Role: ROLE, Timeout: 1, Code: { ZipFile: makeZip(files) },
      ...(variables ? { Environment: { Variables: variables } } : {}),
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
  }

  const invoke = (name: string, payload: unknown) =>
    lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: Buffer.from(JSON.stringify(payload)) }));
  const logOf = (out: InvokeCommandOutput) => Buffer.from(out.LogResult ?? '', 'base64').toString();

  test('Node: attach over the inspector protocol, hit a breakpoint, read a variable, resume; the timeout is lifted meanwhile', async () => {
    await create('dbg-node', 'nodejs22.x', 'index.handler', {
      'index.js': [
        'exports.handler = async (event) => {',
        '  const secret = event.n * 2;',
        '  return { doubled: secret };', // line 3 (0-based 2)
        '};',
        '',
      ].join('\n'),
    });
    const port = await freePort();
    const on = await debugSwitch(server, 'PUT', 'dbg-node', port);
    assert.equal(on.status, 200, JSON.stringify(on.body));

    const result = invoke('dbg-node', { n: 21 });
    const inspector = await Inspector.connect(await inspectorTarget(port));
    await inspector.send('Debugger.enable');
    const breakpoint = await inspector.send('Debugger.setBreakpointByUrl', { lineNumber: 2, urlRegex: 'index\\.js$' });
    assert.ok(breakpoint.breakpointId, JSON.stringify(breakpoint));
    const paused = inspector.next('Debugger.paused');
    await inspector.send('Runtime.runIfWaitingForDebugger');
    const stop = (await paused) as { callFrames: Array<{ callFrameId: string; location: { lineNumber: number } }>; hitBreakpoints: string[] };
    assert.deepEqual(stop.hitBreakpoints, [breakpoint.breakpointId]);
    assert.equal(stop.callFrames[0]!.location.lineNumber, 2);
    const value = (await inspector.send('Debugger.evaluateOnCallFrame', { callFrameId: stop.callFrames[0]!.callFrameId, expression: 'secret' })) as { result: { value: number } };
    assert.equal(value.result.value, 42);
    // Paused past the function's 1 s timeout: with a debugger attached it does not apply.
    await new Promise((r) => setTimeout(r, 1500));
    await inspector.send('Debugger.resume');
    const out = await result;
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.deepEqual(JSON.parse(Buffer.from(out.Payload ?? []).toString()), { doubled: 42 });
    assert.match(logOf(out), /^REPORT RequestId: .*\tDebugger: attached, timeout lifted\t$/m);
    await inspector.close();

    // Off: the environment is retired; the next one has no debugger and the timeout applies again.
    const off = await debugSwitch(server, 'DELETE', 'dbg-node');
    assert.equal(off.status, 200);
    const plain = await invoke('dbg-node', { n: 1 });
    assert.deepEqual(JSON.parse(Buffer.from(plain.Payload ?? []).toString()), { doubled: 2 });
    assert.doesNotMatch(logOf(plain), /Debugger/);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/json/list`));
  });

  test('Python: debugpy listens and waits for a client (Debian\'s python3-debugpy on the path)', async (t) => {
    if (!existsSync('/usr/lib/python3/dist-packages/debugpy/__init__.py')) {
      t.skip('debugpy is not installed (Debian package python3-debugpy)');
      return;
    }
    await create('dbg-py', 'python3.12', 'app.handler', { 'app.py': 'def handler(event, context):\n    return {"n": event["n"]}\n' }, { PYTHONPATH: '/usr/lib/python3/dist-packages' });
    const port = await freePort();
    assert.equal((await debugSwitch(server, 'PUT', 'dbg-py', port)).status, 200);
    const result = invoke('dbg-py', { n: 7 });
    // A Debug Adapter Protocol client: `initialize`, `attach` and `configurationDone` release wait_for_client.
    const socket = await connectToSession(port);
    const dap = dapClient(socket);
    const init = await dap.request('initialize', { adapterID: 'python', clientID: 'lambkin-test' });
    assert.equal(init.success, true, JSON.stringify(init));
    const attached = dap.request('attach', { justMyCode: true });
    await dap.request('configurationDone', {});
    assert.equal((await attached).success, true);
    const out = await result;
    assert.deepEqual(JSON.parse(Buffer.from(out.Payload ?? []).toString()), { n: 7 });
    assert.match(logOf(out), /Debugger: attached, timeout lifted/);
    socket.destroy();
    await debugSwitch(server, 'DELETE', 'dbg-py');
  });

  test('Python without debugpy: the environment says why in its log and runs without a debugger', async () => {
    // The task root comes first on sys.path: this module stands for a debugpy that cannot be imported.
    await create('dbg-py-none', 'python3.12', 'app.handler', {
      'app.py': 'def handler(event, context):\n    return "ran"\n',
      'debugpy.py': 'raise ImportError("no debugpy here")\n',
    });
    const port = await freePort();
    assert.equal((await debugSwitch(server, 'PUT', 'dbg-py-none', port)).status, 200);
    const out = await invoke('dbg-py-none', {});
    assert.equal(Buffer.from(out.Payload ?? []).toString(), '"ran"');
    assert.match(logOf(out), /\[lambkin\] no debugger for this environment: debugpy cannot be imported \(install Debian's python3-debugpy/);
    await debugSwitch(server, 'DELETE', 'dbg-py-none');
  });

  // A timeout of its own: a handshake that never came back once held the whole suite for 20 minutes.
  test('Java: JDWP answers its handshake through the session port', { timeout: 300_000 }, async (t) => {
    if (spawnSync('javac', ['-version']).status !== 0) {
      t.skip('no JDK (Debian package openjdk-17-jdk-headless)');
      return;
    }
    await create('dbg-java', 'java21', 'example.Handler::handleRequest', {});
    const port = await freePort();
    assert.equal((await debugSwitch(server, 'PUT', 'dbg-java', port)).status, 200);
    try {
      const result = invoke('dbg-java', {});
      // One connection, made before the JVM listens (its first environment compiles Lambkin's
      // runtime client first): the relay holds it and hands the handshake on once the JVM listens.
      const socket = await connectToSession(port);
      socket.write('JDWP-Handshake');
      const reply = await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve('no answer in 240 s'), 240_000);
        socket.once('data', (d: Buffer) => { clearTimeout(timer); resolve(d.toString('latin1', 0, 14)); });
        socket.once('close', () => { clearTimeout(timer); resolve('closed by the relay'); });
      });
      socket.destroy();
      assert.equal(reply, 'JDWP-Handshake');
      // The JVM resumes when the debugger leaves; the empty package then fails Init as it would anyway.
      const out = await result;
      assert.equal(out.FunctionError, 'Unhandled');
    } finally {
      await debugSwitch(server, 'DELETE', 'dbg-java');
    }
  });

  test('lambkin debug switches a session on and off; refusals say why', async () => {
    await create('dbg-cli', 'nodejs22.x', 'index.handler', { 'index.js': 'exports.handler = async () => 1;\n' });
    const port = await freePort();
    const env = { ...process.env, AWS_ENDPOINT_URL: server.url, NO_COLOR: '1' };
    const on = await run(process.execPath, [CLI, 'debug', 'dbg-cli', '--port', String(port)], { env });
    assert.match(on.stdout, new RegExp(`dbg-cli: debugger on 127\\.0\\.0\\.1:${port}`));
    assert.match(on.stdout, /Node inspector/);
    const listed = await run(process.execPath, [CLI, 'debug', '--json'], { env });
    assert.deepEqual((JSON.parse(listed.stdout) as Array<{ functionKey: string; port: number }>).map((s) => [s.functionKey, s.port]), [['000000000000/us-east-1/dbg-cli', port]]);
    const busy = await run(process.execPath, [CLI, 'debug', 'dbg-node', '--port', String(port)], { env }).catch((e: { code: number; stderr: string }) => e);
    assert.equal((busy as { code: number }).code, 2);
    assert.match((busy as { stderr: string }).stderr, /the port is in use/);
    const off = await run(process.execPath, [CLI, 'debug', 'dbg-cli', '--off'], { env });
    assert.match(off.stdout, /dbg-cli: debugger off/);

    await lambda.send(new CreateFunctionCommand({ FunctionName: 'dbg-custom', Runtime: 'provided.al2023', Handler: 'x', Role: ROLE, Code: { ZipFile: makeZip({ bootstrap: '#!/bin/sh\n' }) } }));
    const custom = await debugSwitch(server, 'PUT', 'dbg-custom', port);
    assert.equal(custom.status, 400);
    assert.match(String(custom.body.message), /debugger for Node\.js, Python and Java functions; dbg-custom runs provided\.al2023/);
    assert.equal((await debugSwitch(server, 'PUT', 'no-such', port)).status, 404);
  });
});

/**
 * Connects to the session's port right after the invoke, as a user does: the relay holds the
 * connection until the environment's debugger listens and replays what was sent meanwhile.
 */
function connectToSession(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** Just enough of the Debug Adapter Protocol (Content-Length framed JSON) for a handshake. */
function dapClient(socket: net.Socket) {
  let seq = 1;
  let buffer = Buffer.alloc(0);
  const waiting = new Map<number, (response: { success: boolean }) => void>();
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as { type: string; request_seq?: number; success: boolean };
      buffer = buffer.subarray(headerEnd + 4 + length);
      if (message.type === 'response' && message.request_seq !== undefined) waiting.get(message.request_seq)?.(message);
    }
  });
  return {
    request(command: string, args: Record<string, unknown>): Promise<{ success: boolean }> {
      const id = seq++;
      const body = JSON.stringify({ seq: id, type: 'request', command, arguments: args });
      socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return new Promise((resolve) => waiting.set(id, resolve));
    },
  };
}
