import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CreateFunctionCommand, DeleteFunctionCommand, DeleteLayerVersionCommand, GetFunctionCommand, GetFunctionConfigurationCommand, GetLayerVersionCommand,
  InvokeCommand, PublishLayerVersionCommand, PublishVersionCommand, UpdateFunctionCodeCommand, type Runtime, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { checkHostFolder } from '../src/services/lambda/hot-reload/folder-access.js';
import { isIgnoredPath } from '../src/services/lambda/hot-reload/folder-ignore.js';
import { HOT_RELOAD_DEBOUNCE_MS } from '../src/services/lambda/hot-reload/folder-watcher.js';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, NODE_HANDLER_ZIP, ROLE } from './support/zip.js';

/** A folder the sandbox's unprivileged user can read, as a user's project folder is. */
function projectFolder(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const [file, text] of Object.entries(files)) write(dir, file, text);
  return dir;
}

function write(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true, mode: 0o755 });
  writeFileSync(path.join(dir, file), text, { mode: 0o644 });
}

const nodeHandler = (answer: string, delayMs = 0) =>
  `const loadedAt = Date.now();\nexports.handler = async () => { await new Promise((r) => setTimeout(r, ${delayMs})); return { answer: ${JSON.stringify(answer)}, loadedAt }; };\n`;

describe('code from a host folder, reloaded on change', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let roots: string;

  before(async () => {
    roots = realpathSync(mkdtempSync(path.join(tmpdir(), 'lambkin-hot-')));
    chmodSync(roots, 0o755);
    server = await startTestServer({ LAMBKIN_HOT_RELOAD_ROOTS: roots });
    lambda = server.lambda();
  });
  after(async () => {
    await server.stop();
    rmSync(roots, { recursive: true, force: true });
  });

  async function create(name: string, folder: string, runtime: Runtime = 'nodejs22.x', handler = 'index.handler') {
    const out = await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: runtime, Handler: handler, Role: ROLE, Timeout: 10,
      Code: { S3Bucket: 'hot-reload', S3Key: folder },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
    return out;
  }

  async function invoke(name: string, qualifier?: string): Promise<Record<string, unknown>> {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier, Payload: Buffer.from('{}') }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    return JSON.parse(Buffer.from(out.Payload ?? []).toString()) as Record<string, unknown>;
  }

  /** Waits until the function reports code other than `sha` (the reload happened). */
  async function reloadedFrom(name: string, sha: string | undefined) {
    for (let i = 0; i < 200; i++) {
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      if (config.CodeSha256 !== sha) return config;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail(`${name} was not reloaded`);
  }

  test('an edit changes CodeSha256, CodeSize and LastModified, and the next invoke runs the new code after a fresh Init', async () => {
    const folder = projectFolder(roots, 'edit', { 'index.js': nodeHandler('one') });
    const created = await create('hot-edit', folder);
    assert.equal(created.CodeSize, Buffer.byteLength(nodeHandler('one')));
    const first = await invoke('hot-edit');
    assert.equal(first.answer, 'one');
    assert.equal((await invoke('hot-edit')).loadedAt, first.loadedAt, 'a warm environment runs the unchanged code');

    write(folder, 'index.js', nodeHandler('two!'));
    const after = await reloadedFrom('hot-edit', created.CodeSha256);
    assert.equal(after.CodeSize, Buffer.byteLength(nodeHandler('two!')));
    assert.notEqual(after.LastModified, created.LastModified);
    assert.equal(after.LastUpdateStatus, 'Successful');
    const second = await invoke('hot-edit');
    assert.equal(second.answer, 'two!');
    assert.notEqual(second.loadedAt, first.loadedAt);

    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'hot-edit' }));
    assert.equal(got.Code?.Location, pathToFileURL(folder).href);
    assert.equal(got.Configuration?.CodeSha256, after.CodeSha256);
  });

  test('a busy environment finishes its invocation with the old code; the next one gets the new code', async () => {
    const folder = projectFolder(roots, 'busy', { 'index.js': nodeHandler('old', 1500) });
    const created = await create('hot-busy', folder);
    await invoke('hot-busy');
    const running = invoke('hot-busy');
    await new Promise((r) => setTimeout(r, 300));
    write(folder, 'index.js', nodeHandler('new'));
    await reloadedFrom('hot-busy', created.CodeSha256);
    assert.equal((await running).answer, 'old');
    assert.equal((await invoke('hot-busy')).answer, 'new');
  });

  test('new files in new folders are watched, and published versions run the folder too', async () => {
    const folder = projectFolder(roots, 'nested', { 'index.js': 'exports.handler = async () => require("./lib/answer.js");\n', 'lib/answer.js': 'module.exports = { answer: 1 };\n' });
    const created = await create('hot-nested', folder);
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: 'hot-nested' }));
    assert.equal((await invoke('hot-nested')).answer, 1);
    assert.equal((await invoke('hot-nested', published.Version)).answer, 1);
    write(folder, 'lib/deeper/more.js', 'module.exports = 2;\n');
    const once = await reloadedFrom('hot-nested', created.CodeSha256);
    write(folder, 'lib/answer.js', 'module.exports = { answer: require("./deeper/more.js") };\n');
    await reloadedFrom('hot-nested', once.CodeSha256);
    assert.equal((await invoke('hot-nested')).answer, 2);
    assert.equal((await invoke('hot-nested', published.Version)).answer, 2);
  });

  test('editor temporary files and node_modules/.cache do not reload', async () => {
    const folder = projectFolder(roots, 'quiet', { 'index.js': nodeHandler('same'), 'node_modules/.cache/x': '1' });
    const created = await create('hot-quiet', folder);
    write(folder, '.index.js.swp', 'swap');
    write(folder, 'index.js~', 'backup');
    write(folder, 'node_modules/.cache/x', '2');
    // Well past the debounce: a reload would have happened by now.
    await new Promise((r) => setTimeout(r, HOT_RELOAD_DEBOUNCE_MS * 10));
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hot-quiet' }));
    assert.equal(config.CodeSha256, created.CodeSha256);
    assert.equal(config.LastModified, created.LastModified);
  });

  test('a Python function reloads too', async () => {
    const folder = projectFolder(roots, 'py', { 'app.py': 'def handler(event, context):\n    return {"answer": "py1"}\n' });
    const created = await create('hot-py', folder, 'python3.12', 'app.handler');
    assert.equal((await invoke('hot-py')).answer, 'py1');
    write(folder, 'app.py', 'def handler(event, context):\n    return {"answer": "py2"}\n');
    await reloadedFrom('hot-py', created.CodeSha256);
    assert.equal((await invoke('hot-py')).answer, 'py2');
  });

  test('UpdateFunctionCode moves a function between a zip and a folder; watching follows, and survives a restart', async () => {
    const folder = projectFolder(roots, 'switch', { 'index.js': nodeHandler('folder') });
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'hot-switch', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'hot-switch' });
    assert.equal((await invoke('hot-switch')).ok, true);
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'hot-switch', S3Bucket: 'hot-reload', S3Key: folder }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'hot-switch' });
    assert.equal((await invoke('hot-switch')).answer, 'folder');

    await server.restart();
    lambda = server.lambda();
    write(folder, 'index.js', nodeHandler('after restart'));
    await reloadedFrom('hot-switch', updated.CodeSha256);
    assert.equal((await invoke('hot-switch')).answer, 'after restart');
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'hot-switch' }));
  });

  test('a layer from a folder is mounted at /opt; an edit changes its CodeSha256 and CodeSize and the next invoke has a fresh Init', async () => {
    const reader = 'const fs = require("node:fs");\nmodule.exports = () => fs.readFileSync(require("node:path").join(__dirname, "data.txt"), "utf8");\n';
    const layerFolder = projectFolder(roots, 'layer', { 'nodejs/node_modules/layer-data/index.js': reader, 'nodejs/node_modules/layer-data/data.txt': 'first' });
    const published = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'hot-layer', Content: { S3Bucket: 'hot-reload', S3Key: layerFolder }, CompatibleRuntimes: ['nodejs22.x'] }));
    assert.equal(published.Content?.CodeSize, Buffer.byteLength(reader) + Buffer.byteLength('first'));
    assert.equal(published.Content?.Location, pathToFileURL(layerFolder).href);
    const handler = 'const loadedAt = Date.now();\nexports.handler = async () => ({ text: require("layer-data")(), where: require.resolve("layer-data"), loadedAt });\n';
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'hot-layer-user', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 10,
      Code: { ZipFile: makeZip({ 'index.js': handler }) }, Layers: [published.LayerVersionArn!],
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'hot-layer-user' });
    const first = await invoke('hot-layer-user');
    assert.equal(first.text, 'first');
    // Bubblewrap mounts the folder itself at /opt; plain processes are given its host path.
    assert.ok(
      [path.posix.join('/opt', 'nodejs/node_modules/layer-data/index.js'), path.join(layerFolder, 'nodejs/node_modules/layer-data/index.js')].includes(first.where as string),
      String(first.where),
    );
    assert.equal((await invoke('hot-layer-user')).loadedAt, first.loadedAt, 'a warm environment until the layer changes');

    write(layerFolder, 'nodejs/node_modules/layer-data/data.txt', 'second!');
    const version = { LayerName: 'hot-layer', VersionNumber: published.Version };
    const layerReloadedFrom = async (sha: string | undefined) => {
      for (let i = 0; i < 200; i++) {
        const got = await lambda.send(new GetLayerVersionCommand(version));
        if (got.Content?.CodeSha256 !== sha) return got;
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.fail('the layer version was not reloaded');
    };
    const changed = await layerReloadedFrom(published.Content?.CodeSha256);
    assert.equal(changed.Content?.CodeSize, Buffer.byteLength(reader) + Buffer.byteLength('second!'));
    const second = await invoke('hot-layer-user');
    assert.equal(second.text, 'second!');
    assert.notEqual(second.loadedAt, first.loadedAt, 'a fresh Init after the layer changed');

    // Merging would copy the folder, so it cannot be combined with other layers.
    const other = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'hot-layer-zip', Content: { ZipFile: makeZip({ 'other.txt': 'x' }) } }));
    await rejectsWith(
      lambda.send(new CreateFunctionCommand({
        FunctionName: 'hot-layer-two', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP },
        Layers: [other.LayerVersionArn!, published.LayerVersionArn!],
      })),
      'InvalidParameterValueException', 400, /only layer/,
    );

    await server.restart();
    lambda = server.lambda();
    write(layerFolder, 'nodejs/node_modules/layer-data/data.txt', 'after restart');
    await layerReloadedFrom(changed.Content?.CodeSha256);
    assert.equal((await invoke('hot-layer-user')).text, 'after restart');

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'hot-layer-user' }));
    await lambda.send(new DeleteLayerVersionCommand(version));
  });

  test('a layer from a folder outside the configured roots is refused like a function', async () => {
    const publish = (key: string) => lambda.send(new PublishLayerVersionCommand({ LayerName: 'hot-layer-refused', Content: { S3Bucket: 'hot-reload', S3Key: key } }));
    await rejectsWith(publish('/etc'), 'InvalidParameterValueException', 400, /outside the folders code may come from.*LAMBKIN_HOT_RELOAD_ROOTS/);
    await rejectsWith(publish('relative/path'), 'InvalidParameterValueException', 400, /absolute path/);
    await rejectsWith(publish(path.join(roots, 'missing')), 'InvalidParameterValueException', 400, /does not exist/);
  });

  test('folders outside the configured roots, relative paths, missing folders and the data directory are refused', async () => {
    const refused = (key: string) =>
      lambda.send(new CreateFunctionCommand({ FunctionName: 'hot-refused', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { S3Bucket: 'hot-reload', S3Key: key } }));
    await rejectsWith(refused(tmpdir()), 'InvalidParameterValueException', 400, /outside the folders code may come from.*LAMBKIN_HOT_RELOAD_ROOTS/);
    await rejectsWith(refused('/etc'), 'InvalidParameterValueException', 400, /outside the folders code may come from/);
    await rejectsWith(refused(path.join(roots, 'edit', '..', '..')), 'InvalidParameterValueException', 400, /outside/);
    await rejectsWith(refused('relative/path'), 'InvalidParameterValueException', 400, /absolute path/);
    await rejectsWith(refused(path.join(roots, 'missing')), 'InvalidParameterValueException', 400, /does not exist/);
    writeFileSync(path.join(roots, 'a-file'), '');
    await rejectsWith(refused(path.join(roots, 'a-file')), 'InvalidParameterValueException', 400, /is not a folder/);
  });

  test('a link out of the roots is followed before the check', async () => {
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/etc', path.join(roots, 'escape'));
    await rejectsWith(
      lambda.send(new CreateFunctionCommand({ FunctionName: 'hot-escape', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { S3Bucket: 'hot-reload', S3Key: path.join(roots, 'escape') } })),
      'InvalidParameterValueException', 400, /outside/,
    );
  });
});

describe('host folder policy', () => {
  test('clients off loopback are refused unless enabled; the data directory never qualifies', async () => {
    const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'lambkin-hot-policy-')));
    try {
      const policy = { roots: [root], fromRemote: false, dataDir: path.join(root, 'data') };
      mkdirSync(path.join(root, 'data'));
      mkdirSync(path.join(root, 'code'));
      assert.equal(await checkHostFolder(policy, '127.0.0.1', path.join(root, 'code')), path.join(root, 'code'));
      assert.equal(await checkHostFolder(policy, '::ffff:127.0.0.1', path.join(root, 'code')), path.join(root, 'code'));
      assert.equal(await checkHostFolder(policy, '::1', path.join(root, 'code')), path.join(root, 'code'));
      await assert.rejects(checkHostFolder(policy, '192.168.1.20', path.join(root, 'code')), /only from loopback clients.*LAMBKIN_HOT_RELOAD_REMOTE=1/);
      assert.equal(await checkHostFolder({ ...policy, fromRemote: true }, '192.168.1.20', path.join(root, 'code')), path.join(root, 'code'));
      await assert.rejects(checkHostFolder(policy, '127.0.0.1', path.join(root, 'data')), /data directory/);
      await assert.rejects(checkHostFolder(policy, '127.0.0.1', root), /data directory/);
      await assert.rejects(checkHostFolder(undefined, '127.0.0.1', root), /not enabled/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('ignored paths: editor files, caches, version control; code is not', () => {
    for (const p of ['.git/HEAD', 'a/.index.js.swp', 'index.js~', '4913', '.#index.js', '#index.js#', 'node_modules/.cache/babel/x', 'pkg/__pycache__/m.pyc', 'x.js___jb_tmp___']) {
      assert.equal(isIgnoredPath(p), true, p);
    }
    for (const p of ['index.js', 'lib/a.py', 'node_modules/dep/index.js', 'bootstrap', '.env']) assert.equal(isIgnoredPath(p), false, p);
  });
});
