import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import {
  CreateFunctionCommand, InvokeCommand, PublishLayerVersionCommand, waitUntilFunctionActiveV2,
  type InvokeCommandOutput, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

// python3.12 runs on the host's python3.12, or python3 when that is missing (see RuntimeCatalog).
const RUNTIME = 'python3.12';

const json = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, any>;

const OK = 'def handler(event, context):\n    return "ok"\n';

const CONTEXT_PROBE = `def handler(event, context):
    cc = context.client_context
    ident = context.identity
    out = {"identity": {"type": type(ident).__name__, "id": ident.cognito_identity_id, "pool": ident.cognito_identity_pool_id}}
    if cc is None:
        out["clientContext"] = None
    else:
        client = cc.client
        out["clientContext"] = {
            "type": type(cc).__name__,
            "custom": cc.custom,
            "env": cc.env,
            "client": None if client is None else {n: getattr(client, n) for n in
                ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")},
        }
    return out
`;

const PATH_PROBE = `import os, sys
import shadow, shadow_task, laymod
try:
    import vendmod
    VEND = vendmod.VALUE
except ImportError:
    VEND = None
def handler(event, context):
    return {
        "pythonpath": os.environ.get("PYTHONPATH"),
        "runtimeDir": os.environ.get("LAMBDA_RUNTIME_DIR"),
        "taskRoot": os.environ.get("LAMBDA_TASK_ROOT"),
        "private": sorted(k for k in os.environ if k.startswith("_LAMBKIN")),
        "sysPath": sys.path,
        "shadow": shadow.VALUE,
        "shadowTask": shadow_task.VALUE,
        "laymod": laymod.VALUE,
        "vend": VEND,
    }
`;

/** A layer with modules in both of AWS's Python layer directories; `shadow` is in both. */
const LAYER_FILES = {
  'python/lib/python3.12/site-packages/shadow.py': 'VALUE = "site-packages"\n',
  'python/shadow.py': 'VALUE = "opt-python"\n',
  'python/laymod.py': 'VALUE = "layer"\n',
  'python/shadow_task.py': 'VALUE = "layer"\n',
};

interface Fn { handler: string; files: Record<string, string>; layered?: boolean; env?: Record<string, string> }

const FUNCTIONS: Record<string, Fn> = {
  'py-import-missing-dep': { handler: 'app.handler', files: { 'app.py': 'import not_installed_anywhere_xyz\n' + OK } },
  'py-import-raises': { handler: 'app.handler', files: { 'app.py': 'raise ValueError("bad config")\n' + OK } },
  'py-import-raises-custom': { handler: 'app.handler', files: { 'app.py': 'class ConfigMissing(Exception):\n    pass\nraise ConfigMissing("no TABLE")\n' } },
  'py-syntax-slash': { handler: 'src/bad.handler', files: { 'src/bad.py': 'def handler(event, context)\n    return 1\n' } },
  'py-slash-missing-module': { handler: 'lib/missing.handler', files: { 'lib/other.py': OK } },
  'py-slash-missing-handler': { handler: 'lib/app.nothere', files: { 'lib/app.py': OK } },
  'py-slash-ok': { handler: 'lib/app.handler', files: { 'lib/app.py': OK } },
  'py-dotted-missing-handler': { handler: 'pkg.mod.nothere', files: { 'pkg/__init__.py': '', 'pkg/mod.py': OK } },
  'py-builtin-module': { handler: 'sys.handler', files: { 'sys.py': OK } },
  'py-none-handler': { handler: 'app.handler', files: { 'app.py': 'handler = None\n' } },
  'py-context': { handler: 'app.handler', files: { 'app.py': CONTEXT_PROBE } },
  'py-paths': {
    handler: 'app.handler',
    layered: true,
    files: { 'app.py': PATH_PROBE, 'shadow_task.py': 'VALUE = "task"\n', 'vendored.pth': 'vendor\n', 'vendor/vendmod.py': 'VALUE = "vendored"\n' },
  },
  'py-own-pythonpath': {
    handler: 'app.handler',
    layered: true,
    env: { PYTHONPATH: '/nonexistent/custom' },
    files: {
      'app.py': `import os, sys
def handler(event, context):
    try:
        import laymod
        lay = laymod.VALUE
    except ImportError:
        lay = None
    return {"pythonpath": os.environ.get("PYTHONPATH"), "sysPath": sys.path, "laymod": lay}
`,
    },
  },
};

describe('Python runtime fidelity with AWS (awslambdaric)', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let isolation = '';
  const invoke = (FunctionName: string, extra: Record<string, unknown> = {}) =>
    lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from('{}'), ...extra }));
  const initError = async (name: string) => {
    const out = await invoke(name);
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    return json(out);
  };

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    isolation = ((await (await fetch(`${server.url}/_lambkin/health`)).json()) as { isolation?: string }).isolation ?? '';
    const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'py-fidelity', Content: { ZipFile: makeZip(LAYER_FILES) } }));
    await Promise.all(Object.entries(FUNCTIONS).map(([name, f]) => lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: RUNTIME, Handler: f.handler, Role: ROLE, Timeout: 10,
      Code: { ZipFile: makeZip(f.files) },
      Layers: f.layered ? [layer.LayerVersionArn!] : undefined,
      Environment: f.env ? { Variables: f.env } : undefined,
    }))));
    for (const name of Object.keys(FUNCTIONS)) await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  });
  after(() => server.stop());

  test('an ImportError while importing the handler module is Runtime.ImportModuleError', async () => {
    assert.deepEqual(await initError('py-import-missing-dep'), {
      errorMessage: "Unable to import module 'app': No module named 'not_installed_anywhere_xyz'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    });
  });

  test('any other exception raised at import keeps its own type, message and frames', async () => {
    const body = await initError('py-import-raises');
    assert.equal(body.errorType, 'ValueError');
    assert.equal(body.errorMessage, 'bad config');
    assert.equal(body.requestId, '');
    const last = body.stackTrace[body.stackTrace.length - 1] as string;
    assert.match(last, /^ {2}File ".*\/app\.py", line 1, in <module>\n {4}raise ValueError\("bad config"\)\n$/);
    assert.ok(!body.stackTrace.some((l: string) => /runtimes\/python\/bootstrap\.py|\/var\/runtime\//.test(l)), 'no bootstrap frames');
    const custom = await initError('py-import-raises-custom');
    assert.equal(custom.errorType, 'ConfigMissing');
    assert.equal(custom.errorMessage, 'no TABLE');
  });

  test("a SyntaxError is Runtime.UserCodeSyntaxError naming the module as the handler spells it, with AWS's one-line trace", async () => {
    const body = await initError('py-syntax-slash');
    assert.equal(body.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(body.errorMessage, /^Syntax error in module 'src\/bad': .+ \(bad\.py, line 1\)$/);
    assert.equal(body.requestId, '');
    assert.equal(body.stackTrace.length, 1);
    assert.match(body.stackTrace[0], /^ {2}File ".*\/src\/bad\.py" Line 1\n {4}def handler\(event, context\)\n?$/);
  });

  test("handler paths with slashes: messages keep the slashes ('dir/file'), dotted ones stay dotted", async () => {
    assert.deepEqual(await initError('py-slash-missing-module'), {
      errorMessage: "Unable to import module 'lib/missing': No module named 'lib.missing'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    });
    assert.deepEqual(await initError('py-slash-missing-handler'), {
      errorMessage: "Handler 'nothere' missing on module 'lib/app'",
      errorType: 'Runtime.HandlerNotFound',
      requestId: '',
      stackTrace: [],
    });
    assert.equal((await initError('py-dotted-missing-handler')).errorMessage, "Handler 'nothere' missing on module 'pkg.mod'");
    const ok = await invoke('py-slash-ok');
    assert.equal(ok.FunctionError, undefined);
    assert.equal(json(ok), 'ok');
  });

  test('a handler module named like a built-in module is Runtime.BuiltInModuleConflict', async () => {
    assert.deepEqual(await initError('py-builtin-module'), {
      errorMessage: 'Cannot use built-in module sys as a handler module',
      errorType: 'Runtime.BuiltInModuleConflict',
      requestId: '',
      stackTrace: [],
    });
  });

  test('a handler attribute that exists but is None is found, and fails when called', async () => {
    const out = await invoke('py-none-handler');
    assert.equal(out.FunctionError, 'Unhandled');
    const body = json(out);
    assert.equal(body.errorType, 'TypeError');
    assert.equal(body.errorMessage, "'NoneType' object is not callable");
    assert.equal(body.requestId, out.$metadata.requestId);
  });

  test('context.identity is always an object; context.client_context is None without a ClientContext', async () => {
    const out = await invoke('py-context');
    assert.equal(out.FunctionError, undefined, JSON.stringify(json(out)));
    assert.deepEqual(json(out), { identity: { type: 'CognitoIdentity', id: null, pool: null }, clientContext: null });
  });

  test('context.client_context is an object with .client, .custom and .env (None when absent)', async () => {
    const full = {
      client: { installation_id: 'inst-1', app_title: 'Lamb', app_version_name: '1.0', app_version_code: '7', app_package_name: 'com.example' },
      custom: { tenant: 'blue', n: 1 },
      env: { platform: 'Android', locale: 'en_US' },
    };
    const withAll = json(await invoke('py-context', { ClientContext: Buffer.from(JSON.stringify(full)).toString('base64') }));
    assert.deepEqual(withAll.clientContext, { type: 'ClientContext', custom: full.custom, env: full.env, client: full.client });
    const partial = json(await invoke('py-context', { ClientContext: Buffer.from(JSON.stringify({ client: { app_title: 'Only' }, custom: { a: 'b' } })).toString('base64') }));
    assert.deepEqual(partial.clientContext, {
      type: 'ClientContext', custom: { a: 'b' }, env: null,
      client: { installation_id: null, app_title: 'Only', app_version_name: null, app_version_code: null, app_package_name: null },
    });
    const bare = json(await invoke('py-context', { ClientContext: Buffer.from('{}').toString('base64') }));
    assert.deepEqual(bare.clientContext, { type: 'ClientContext', custom: null, env: null, client: null });
  });

  test("PYTHONPATH is the runtime directory alone; sys.path is AWS's: task root, layer site-packages, /opt/python, runtime dir", async () => {
    const out = await invoke('py-paths');
    assert.equal(out.FunctionError, undefined, JSON.stringify(json(out)));
    const body = json(out);
    assert.equal(body.pythonpath, body.runtimeDir);
    if (isolation === 'bubblewrap') assert.equal(body.pythonpath, '/var/runtime');
    assert.deepEqual(body.private, [], 'no Lambkin-private variable reaches the function');
    const sysPath = body.sysPath as string[];
    const site = sysPath.findIndex((p) => p.endsWith('/python/lib/python3.12/site-packages'));
    const optPython = sysPath.findIndex((p, i) => i > site && p.endsWith('/python'));
    assert.deepEqual(
      [sysPath[0], site, optPython, sysPath.indexOf(body.runtimeDir)],
      [body.taskRoot, 1, 2, 3],
      JSON.stringify(sysPath),
    );
    assert.equal(sysPath.filter((p) => p === body.runtimeDir).length, 1, 'the runtime directory once');
    // Precedence: the task root over the layers, a layer's site-packages over its python/.
    assert.equal(body.shadowTask, 'task');
    assert.equal(body.shadow, 'site-packages');
    assert.equal(body.laymod, 'layer');
    // As on AWS, .pth files in the task root are processed.
    assert.equal(body.vend, 'vendored');
  });

  test("a function's own PYTHONPATH takes the layer directories' place, as on AWS", async () => {
    const out = await invoke('py-own-pythonpath');
    assert.equal(out.FunctionError, undefined, JSON.stringify(json(out)));
    const body = json(out);
    assert.equal(body.pythonpath, '/nonexistent/custom');
    assert.equal(body.laymod, null);
    const sysPath = body.sysPath as string[];
    assert.ok(!sysPath.some((p) => /\/python\/lib\/python3\.12\/site-packages$/.test(p)), JSON.stringify(sysPath));
    assert.equal(sysPath.indexOf('/nonexistent/custom'), 2, JSON.stringify(sysPath));
  });
});
