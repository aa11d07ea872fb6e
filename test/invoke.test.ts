import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import {
  CreateAliasCommand, CreateFunctionCommand, InvokeCommand, PublishVersionCommand, UpdateFunctionConfigurationCommand, type Runtime,
  waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, type InvokeCommandOutput, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

/** A deployment package; `executable` names get mode 0755 (a custom runtime's `bootstrap`). */
function zipOf(files: Record<string, string>, executable: string[] = []): Uint8Array {
  const zip = new AdmZip();
  for (const [name, contents] of Object.entries(files)) zip.addFile(name, Buffer.from(contents), '', executable.includes(name) ? 0o755 : 0o644);
  return new Uint8Array(zip.toBuffer());
}

const text = (out: InvokeCommandOutput) => Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
const json = (out: InvokeCommandOutput) => JSON.parse(text(out)) as Record<string, any>;

const SHELL_BOOTSTRAP = `#!/bin/sh
set -eu
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
TMPDIR="\${TMPDIR:-/tmp}"
while true; do
  H="$TMPDIR/headers"
  EVENT=$(curl -sS -D "$H" "$API/invocation/next")
  ID=$(grep -i '^lambda-runtime-aws-request-id:' "$H" | cut -d' ' -f2 | tr -d '\\r\\n')
  BOGUS=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/invocation/not-a-request/response" -d '{}')
  PREV=$(cat "$TMPDIR/second-post" 2>/dev/null || echo none)
  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "{\\"event\\":$EVENT,\\"handler\\":\\"$_HANDLER\\",\\"bogus\\":\\"$BOGUS\\",\\"previousSecondPost\\":\\"$PREV\\"}"
  curl -s -o /dev/null -w '%{http_code}' -X POST "$API/invocation/$ID/response" -d '{}' > "$TMPDIR/second-post"
done
`;

// Functions whose tests are not about timeouts get 30 s, so a loaded machine's slow start is not
// mistaken for a failure; those that show the default keep AWS's 3 s.
const FUNCTIONS: Record<string, { Runtime: Runtime; Handler: string; files: Record<string, string>; executable?: string[]; Timeout?: number; MemorySize?: number; Environment?: Record<string, string> }> = {
  'node-cjs': {
    Runtime: 'nodejs22.x',
    Handler: 'src/app.handler',
    files: {
      'src/app.js': `let count = 0;
exports.handler = async (event, context) => {
  count += 1;
  console.log('hello from', context.functionName);
  return { event, count, requestId: context.awsRequestId, arn: context.invokedFunctionArn, memory: context.memoryLimitInMB,
    version: context.functionVersion, remaining: context.getRemainingTimeInMillis(), logGroup: context.logGroupName,
    env: { region: process.env.AWS_REGION, name: process.env.AWS_LAMBDA_FUNCTION_NAME, handler: process.env._HANDLER,
      tz: process.env.TZ, key: process.env.AWS_ACCESS_KEY_ID, endpoint: process.env.AWS_ENDPOINT_URL, mine: process.env.MY_VAR,
      taskRoot: process.env.LAMBDA_TASK_ROOT, api: process.env.AWS_LAMBDA_RUNTIME_API, stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME, exec: process.env.AWS_EXECUTION_ENV,
      stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME } };
};`,
    },
    Environment: { MY_VAR: 'mine' },
  },
  'node-esm': { Runtime: 'nodejs24.x', Handler: 'index.handler', files: { 'index.mjs': 'export const handler = async (event) => ({ esm: true, event });\n' } },
  'node-callback': {
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    files: { 'index.js': "exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { callback: true, event }), 5); };\n" },
  },
  'node-error': {
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    files: { 'index.js': "class BadThing extends Error { constructor(m) { super(m); this.name = 'BadThing'; } }\nexports.handler = async () => { throw new BadThing('it broke'); };\n" },
  },
  'node-import-error': { Runtime: 'nodejs22.x', Handler: 'missing.handler', Timeout: 30, files: { 'index.js': 'exports.handler = async () => 1;\n' } },
  'node-no-handler': { Runtime: 'nodejs22.x', Handler: 'index.nothere', Timeout: 30, files: { 'index.js': 'exports.handler = async () => 1;\n' } },
  'node-timeout': {
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Timeout: 1,
    files: { 'index.js': "exports.handler = async (e) => { if (e.sleep) { await new Promise((r) => setTimeout(r, 20000)); console.log('slept through'); } return 'awake'; };\n" },
  },
  'node-counter': {
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    files: { 'index.js': "const env = require('crypto').randomUUID(); let runs = 0;\nexports.handler = async () => ({ env, runs: ++runs });\n" },
  },
  'node-crash': { Runtime: 'nodejs22.x', Handler: 'index.handler', files: { 'index.js': 'exports.handler = async () => { process.exit(1); };\n' } },
  'node-slow': {
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Timeout: 30,
    // The log stream names the environment (every Runtime API is 127.0.0.1:9001 inside its own sandbox).
    files: { 'index.js': 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 200)); return process.env.AWS_LAMBDA_LOG_STREAM_NAME; };\n' },
  },
  // A whole vCPU: at 128 MB's CPU share, building 7 MB can outlast the 3 s timeout on a busy host.
  'node-big': { Runtime: 'nodejs22.x', Handler: 'index.handler', MemorySize: 1769, files: { 'index.js': "exports.handler = async () => 'x'.repeat(7 * 1024 * 1024);\n" } },
  python: {
    Runtime: 'python3.12',
    Handler: 'app.handler',
    files: {
      'app.py': `import os
count = 0
def handler(event, context):
    global count
    count += 1
    print("python says hi")
    return {"event": event, "count": count, "requestId": context.aws_request_id, "name": context.function_name,
            "memory": context.memory_limit_in_mb, "remaining": context.get_remaining_time_in_millis(),
            "region": os.environ["AWS_REGION"], "tz": os.environ["TZ"]}
`,
    },
  },
  'python-error': {
    Runtime: 'python3.13',
    Handler: 'app.handler',
    files: { 'app.py': 'def handler(event, context):\n    raise ValueError("bad value")\n' },
  },
  'python-import-error': { Runtime: 'python3.12', Handler: 'nomodule.handler', Timeout: 30, files: { 'app.py': 'x = 1\n' } },
  // Large events arrive at the runtime in many reads; both bootstraps must put them back together.
  'node-large': {
    Runtime: 'nodejs22.x', Handler: 'index.handler', MemorySize: 1769,
    files: { 'index.js': 'exports.handler = async (e) => ({ n: e.s.length, tail: e.s.slice(-5), back: e.s.slice(0, 3000000) });\n' },
  },
  'python-large': {
    Runtime: 'python3.12', Handler: 'app.handler', MemorySize: 1769,
    files: { 'app.py': 'def handler(e, c):\n    return {"n": len(e["s"]), "tail": e["s"][-5:], "back": e["s"][:3000000]}\n' },
  },
  provided: { Runtime: 'provided.al2023', Handler: 'my.handler', files: { bootstrap: SHELL_BOOTSTRAP }, executable: ['bootstrap'] },
};

describe('Invoke (RequestResponse)', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  const invoke = (FunctionName: string, event: unknown = {}, extra: Record<string, unknown> = {}) =>
    lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(event)), ...extra }));

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    await Promise.all(
      Object.entries(FUNCTIONS).map(([name, f]) =>
        lambda.send(
          new CreateFunctionCommand({
            FunctionName: name, Runtime: f.Runtime, Handler: f.Handler, Role: ROLE, Timeout: f.Timeout, MemorySize: f.MemorySize,
            Code: { ZipFile: zipOf(f.files, f.executable) },
            Environment: f.Environment ? { Variables: f.Environment } : undefined,
          }),
        ),
      ),
    );
    for (const name of Object.keys(FUNCTIONS)) await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  });
  after(() => server.stop());

  test('a CommonJS handler in a sub-folder returns its event, with context and environment', async () => {
    const out = await invoke('node-cjs', { hello: 'world' });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.ExecutedVersion, '$LATEST');
    const body = json(out);
    assert.deepEqual(body.event, { hello: 'world' });
    assert.equal(body.requestId, out.$metadata.requestId);
    assert.equal(body.arn, 'arn:aws:lambda:us-east-1:000000000000:function:node-cjs');
    assert.equal(body.memory, '128');
    assert.equal(body.version, '$LATEST');
    assert.equal(body.logGroup, '/aws/lambda/node-cjs');
    assert.ok(body.remaining > 0 && body.remaining <= 3000, `remaining ${body.remaining}`);
    assert.equal(body.env.region, 'us-east-1');
    assert.equal(body.env.name, 'node-cjs');
    assert.equal(body.env.handler, 'src/app.handler');
    assert.equal(body.env.tz, ':UTC');
    // The function's own role session, never the account's key.
    assert.match(body.env.key, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(body.env.endpoint, server.url);
    assert.equal(body.env.mine, 'mine');
    assert.equal(body.env.exec, 'AWS_Lambda_nodejs22.x');
    assert.match(body.env.api, /^127\.0\.0\.1:\d+$/);
    assert.match(body.env.taskRoot, /^\/var\/task$|code\/[0-9a-f]{64}$/);
    assert.match(body.env.stream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  test('a warm environment is reused: module state survives between invokes', async () => {
    const first = json(await invoke('node-cjs'));
    const second = json(await invoke('node-cjs'));
    assert.equal(second.count, first.count + 1);
    assert.equal(second.env.api, first.env.api);
  });

  test('Tail returns the last 4 KB of the log: START, function output, END, REPORT', async () => {
    const out = await invoke('node-cjs', {}, { LogType: 'Tail' });
    const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    const id = out.$metadata.requestId;
    assert.match(log, new RegExp(`START RequestId: ${id} Version: \\$LATEST\\n`));
    assert.match(log, new RegExp(`\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\thello from node-cjs\\n`));
    assert.match(log, new RegExp(`END RequestId: ${id}\\n`));
    assert.match(log, new RegExp(`REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t`));
    assert.equal(out.$metadata.httpStatusCode, 200);
  });

  test('an ESM .mjs handler on nodejs24.x', async () => {
    assert.deepEqual(json(await invoke('node-esm', [1, 2])), { esm: true, event: [1, 2] });
  });

  test('a callback-style handler', async () => {
    assert.deepEqual(json(await invoke('node-callback', 'str')), { callback: true, event: 'str' });
  });

  test('a Python handler gets its event and a context object', async () => {
    const out = await invoke('python', { n: 1 }, { LogType: 'Tail' });
    assert.equal(out.FunctionError, undefined);
    const body = json(out);
    assert.deepEqual(body.event, { n: 1 });
    assert.equal(body.requestId, out.$metadata.requestId);
    assert.equal(body.name, 'python');
    assert.equal(body.memory, '128');
    assert.equal(body.region, 'us-east-1');
    assert.equal(body.tz, ':UTC');
    assert.ok(body.remaining > 0);
    assert.match(Buffer.from(out.LogResult ?? '', 'base64').toString(), /python says hi\n/);
    assert.equal(json(await invoke('python')).count, body.count + 1);
  });

  test('a provided.al2023 shell bootstrap speaks the Runtime API with curl', async () => {
    const first = json(await invoke('provided', { via: 'curl' }));
    assert.deepEqual(first, { event: { via: 'curl' }, handler: 'my.handler', bogus: '400', previousSecondPost: 'none' });
    // The second post for an answered id was refused with 403; /tmp kept the note between invokes.
    const second = json(await invoke('provided', 2));
    assert.equal(second.previousSecondPost, '403');
  });

  test('a Node handler error comes back as 200 with FunctionError Unhandled', async () => {
    const out = await invoke('node-error');
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const body = json(out);
    assert.equal(body.errorType, 'BadThing');
    assert.equal(body.errorMessage, 'it broke');
    assert.ok(Array.isArray(body.trace) && body.trace[0].startsWith('BadThing: it broke'));
  });

  test('a Python handler error carries errorType, requestId and stackTrace', async () => {
    const out = await invoke('python-error');
    assert.equal(out.FunctionError, 'Unhandled');
    const body = json(out);
    assert.equal(body.errorType, 'ValueError');
    assert.equal(body.errorMessage, 'bad value');
    assert.equal(body.requestId, out.$metadata.requestId);
    assert.ok(body.stackTrace.some((line: string) => line.includes('app.py')));
  });

  test('import failures and missing handlers are init errors', async () => {
    const node = await invoke('node-import-error');
    assert.equal(node.FunctionError, 'Unhandled');
    assert.equal(json(node).errorType, 'Runtime.ImportModuleError');
    assert.match(json(node).errorMessage, /Cannot find module 'missing'/);
    const missing = json(await invoke('node-no-handler'));
    assert.equal(missing.errorType, 'Runtime.HandlerNotFound');
    assert.equal(missing.errorMessage, 'index.nothere is undefined or not exported');
    const py = await invoke('python-import-error');
    assert.equal(py.FunctionError, 'Unhandled');
    assert.deepEqual(json(py), {
      errorMessage: "Unable to import module 'nomodule': No module named 'nomodule'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    });
  });

  test('a handler that outlives its Timeout is killed: Sandbox.Timedout, then a fresh environment', async () => {
    // The handler sleeps 20 s: a timeout answer (and no 'slept through' line) shows the 1 s Timeout
    // cut it off, whatever the machine's load.
    const out = await invoke('node-timeout', { sleep: true }, { LogType: 'Tail' });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const id = out.$metadata.requestId;
    assert.deepEqual(json(out), { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${id} Error: Task timed out after 1.00 seconds` });
    const log = Buffer.from(out.LogResult ?? '', 'base64').toString();
    assert.match(log, new RegExp(`${id} Task timed out after 1.00 seconds\\n`));
    assert.doesNotMatch(log, /slept through/);
    assert.equal(text(await invoke('node-timeout')), '"awake"');
  });

  test('a runtime that exits mid-invoke is Runtime.ExitError', async () => {
    const out = await invoke('node-crash');
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out), {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 1`,
    });
  });

  test('concurrent invokes each get their own environment', async () => {
    const outs = await Promise.all([1, 2, 3].map(() => invoke('node-slow')));
    const apis = new Set(outs.map((o) => text(o)));
    assert.equal(apis.size, 3);
    // …and afterwards they are all warm: three more run without new environments.
    const again = await Promise.all([1, 2, 3].map(() => invoke('node-slow')));
    assert.deepEqual(new Set(again.map((o) => text(o))), apis);
  });

  test('a response over 6,291,556 bytes is Function.ResponseSizeTooLarge', async () => {
    const out = await invoke('node-big');
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(json(out).errorType, 'Function.ResponseSizeTooLarge');
  });

  test('an alias qualifier runs its version and reports it in ExecutedVersion', async () => {
    const v = await lambda.send(new PublishVersionCommand({ FunctionName: 'node-esm' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'node-esm', Name: 'live', FunctionVersion: v.Version }));
    const out = await invoke('node-esm', 'a', { Qualifier: 'live' });
    assert.equal(out.ExecutedVersion, v.Version);
    assert.deepEqual(json(out), { esm: true, event: 'a' });
  });

  test('a configuration change retires warm environments', async () => {
    const before = json(await invoke('node-cjs'));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'node-cjs', Environment: { Variables: { MY_VAR: 'changed' } } }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'node-cjs' });
    const afterChange = json(await invoke('node-cjs'));
    assert.equal(afterChange.env.mine, 'changed');
    assert.equal(afterChange.count, 1);
    assert.notEqual(afterChange.env.stream, before.env.stream);
  });

  test('DryRun answers 204 without running anything', async () => {
    const first = json(await invoke('node-counter'));
    for (let i = 0; i < 3; i++) {
      const out = await invoke('node-counter', {}, { InvocationType: 'DryRun' });
      assert.equal(out.StatusCode, 204);
      assert.equal(text(out), '');
    }
    // The warm environment counted no run in between: the dry runs never reached the handler.
    assert.deepEqual(json(await invoke('node-counter')), { env: first.env, runs: 2 });
  });

  test('Event invocation is accepted with 202 (behaviour in async-*.test.ts)', async () => {
    const out = await invoke('node-cjs', {}, { InvocationType: 'Event' });
    assert.equal(out.StatusCode, 202);
  });

  test('an event near the 6 MB limit reaches Node and Python handlers whole, twice in a row', async () => {
    const s = 'ab'.repeat(3_100_000) + 'tail!';
    for (const name of ['node-large', 'python-large', 'node-large', 'python-large']) {
      const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ s })) }));
      assert.equal(out.FunctionError, undefined, `${name}: ${Buffer.from(out.Payload ?? new Uint8Array()).toString().slice(0, 500)}`);
      const body = json(out) as { n: number; tail: string; back: string };
      assert.deepEqual({ n: body.n, tail: body.tail, backLength: body.back.length, backStart: body.back.slice(0, 4) }, { n: s.length, tail: 'tail!', backLength: 3_000_000, backStart: 'abab' }, name);
    }
  });

  test('a payload over 6,291,456 bytes is 413 RequestEntityTooLargeException', async () => {
    await rejectsWith(
      lambda.send(new InvokeCommand({ FunctionName: 'node-cjs', Payload: Buffer.from(JSON.stringify('x'.repeat(6_291_456))) })),
      'RequestEntityTooLargeException',
      413,
      'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    );
  });

  test('a payload that is not JSON is InvalidRequestContentException', async () => {
    await rejectsWith(
      lambda.send(new InvokeCommand({ FunctionName: 'node-cjs', Payload: Buffer.from('{nope') })),
      'InvalidRequestContentException',
      400,
      /^Could not parse request body into json: Could not parse payload into json: /,
    );
  });

  test('a payload that is not UTF-8 is InvalidRequestContentException, and the next valid one is accepted', async () => {
    await rejectsWith(
      lambda.send(new InvokeCommand({ FunctionName: 'node-cjs', Payload: Buffer.from([0x22, 0xe2, 0x82]) })),
      'InvalidRequestContentException',
      400,
      /^Could not parse request body into json: Could not parse payload into json: /,
    );
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'node-cjs', Payload: Buffer.from('"\u00e9t\u00e9"') }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
  });

  test('an unknown function is ResourceNotFoundException', async () => {
    await rejectsWith(invoke('no-such-fn'), 'ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-fn');
  });
});

describe('Invoke on a Pending function', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ LAMBKIN_PROVISIONING_DELAY_MS: '60000' });
  });
  after(() => server.stop());

  test('is refused with ResourceConflictException', async () => {
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'slow', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => 1;' }) } }));
    await rejectsWith(
      lambda.send(new InvokeCommand({ FunctionName: 'slow' })),
      'ResourceConflictException',
      409,
      'The operation cannot be performed at this time. The function is currently in the following state: Pending',
    );
  });
});
