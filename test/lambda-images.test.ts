import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ecrCall, registryPassword } from './support/ecr.js';
import { basicAuth, buildImage, pushImage, tarArchive, writeOciLayout, zstdAvailable, zstdZeros, type TarEntry } from './support/oci-image.js';
import { hostIsolation } from './support/host-isolation.js';
import { startTestServer, type TestServer } from './support/server.js';

const RUNTIME_SOURCE = fileURLToPath(new URL('../../test/images/runtime.go', import.meta.url));
const ROLE = 'arn:aws:iam::000000000000:role/image-functions';
const goMissing = spawnSync('go', ['version'], { stdio: 'ignore' }).error !== undefined;
const skopeoMissing = spawnSync('skopeo', ['--version'], { stdio: 'ignore' }).error !== undefined;

/** The Go runtime client, static, built once per test run. */
function buildRuntime(dir: string): Buffer {
  const out = path.join(dir, 'runtime');
  execFileSync('go', ['build', '-o', out, RUNTIME_SOURCE], { env: { ...process.env, CGO_ENABLED: '0' }, stdio: 'pipe' });
  return readFileSync(out);
}

/** The host's /bin/sh and the shared libraries it loads, as a layer (for `/lambda-entrypoint.sh`). */
function shellLayer(): TarEntry[] {
  const shell = execFileSync('readlink', ['-f', '/bin/sh']).toString().trim();
  const libs = execFileSync('ldd', [shell]).toString().split('\n').map((line) => /(\/\S+)\s+\(/.exec(line)?.[1]).filter((l): l is string => !!l);
  const entries: TarEntry[] = [];
  const dirs = new Set<string>();
  for (const file of [shell, ...libs]) {
    const real = execFileSync('readlink', ['-f', file]).toString().trim();
    const parts = file.slice(1).split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!dirs.has(dir)) entries.push({ name: dir, type: 'dir' });
      dirs.add(dir);
    }
    entries.push({ name: file.slice(1), body: readFileSync(real), mode: 0o755 });
  }
  entries.push({ name: 'bin', type: 'dir' }, { name: 'bin/sh', type: 'symlink', linkname: shell });
  return entries;
}

async function waitForState(lambda: LambdaClient, name: string, waitMs = 5_000): Promise<Record<string, unknown>> {
  for (let i = 0; i < waitMs / 25; i++) {
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    if (got.Configuration?.State !== 'Pending' && got.Configuration?.LastUpdateStatus !== 'InProgress') return got as unknown as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${name} stayed Pending`);
}

async function invoke(lambda: LambdaClient, name: string, event: unknown = {}): Promise<{ payload: Record<string, unknown>; functionError?: string; log: string }> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
  return {
    payload: JSON.parse(Buffer.from(out.Payload ?? []).toString() || '{}') as Record<string, unknown>,
    ...(out.FunctionError ? { functionError: out.FunctionError } : {}),
    log: Buffer.from(out.LogResult ?? '', 'base64').toString(),
  };
}

describe('container image functions (PackageType Image) run from the registry without Docker', { skip: goMissing ? 'Go is not on PATH: install the Debian package golang-go' : false }, () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let auth: string;
  let work: string;
  let runtime: Buffer;
  let isolation = '';
  let uri: (repository: string, reference: string) => string;

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    work = mkdtempSync(path.join(tmpdir(), 'lambkin-images-'));
    runtime = buildRuntime(work);
    isolation = ((await (await fetch(`${server.url}/_lambkin/health`)).json()) as { isolation: string }).isolation;
    auth = basicAuth('AWS', await registryPassword(server.url));
    uri = (repository, reference) => `000000000000.dkr.ecr.us-east-1.localhost:${server.lambkin.port}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
    for (const repository of ['fn', 'zstd', 'entrypoint', 'broken', 'arm']) assert.equal((await ecrCall(server.url, 'CreateRepository', { repositoryName: repository })).status, 200);
  });
  after(async () => {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const needsSandbox = () => (isolation === 'bubblewrap' ? false : `isolation is '${isolation}': images run only in the bubblewrap sandbox (root and bubblewrap)`);

  /** Two layers: the runtime and files, then a layer that whites one out and makes a folder opaque. */
  function functionImage(greeting: string, compression: 'gzip' | 'zstd' = 'gzip') {
    const base = tarArchive([
      { name: 'bin', type: 'dir' },
      { name: 'bin/runtime', body: runtime, mode: 0o755 },
      { name: 'etc', type: 'dir' },
      { name: 'etc/greeting', body: 'old greeting' },
      { name: 'etc/removed', body: 'whited out by the next layer' },
      { name: 'opt', type: 'dir' },
      { name: 'opt/dir', type: 'dir' },
      { name: 'opt/dir/a', body: 'a' },
      { name: 'opt/dir/b', body: 'b' },
      { name: 'usr', type: 'dir' },
      { name: 'usr/local', type: 'dir' },
      { name: 'usr/local/share', type: 'dir' },
      { name: 'usr/local/share/original', body: 'one file, two names' },
      { name: 'usr/local/share/linked', type: 'link', linkname: 'usr/local/share/original' },
      { name: 'usr/local/bin', type: 'dir' },
      { name: 'usr/local/bin/bootstrap', type: 'symlink', linkname: '/bin/runtime' },
      { name: 'var', type: 'dir' },
      { name: 'var/task', type: 'dir' },
    ]);
    const top = tarArchive([
      { name: 'etc', type: 'dir' },
      { name: 'etc/.wh.removed', body: '' },
      { name: 'etc/greeting', body: greeting },
      { name: 'opt/dir', type: 'dir' },
      { name: 'opt/dir/.wh..wh..opq', body: '' },
      { name: 'opt/dir/c', body: 'c' },
    ]);
    return buildImage({ layers: [base, top], compression, entrypoint: ['/usr/local/bin/bootstrap'], cmd: ['app.handler'], workingDir: '/var/task', env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'FROM_IMAGE=yes'] });
  }

  test('CreateFunction resolves the tag to a digest; the image runs as / with its layers, whiteouts and links', async (t) => {
    const image = functionImage('hello from v1');
    assert.equal((await pushImage(server.url, auth, 'fn', 'latest', image)).status, 201);
    const created = await lambda.send(new CreateFunctionCommand({
      FunctionName: 'from-image', PackageType: 'Image', Role: ROLE, Code: { ImageUri: uri('fn', 'latest') },
      Environment: { Variables: { FUNCTION_VAR: 'set' } },
    }));
    assert.equal(created.PackageType, 'Image');
    assert.equal(created.CodeSha256, image.manifestDigest.slice(7));
    assert.equal(created.Runtime, undefined);
    const got = await waitForState(lambda, 'from-image');
    assert.deepEqual(got.Code, { RepositoryType: 'ECR', ImageUri: uri('fn', 'latest'), ResolvedImageUri: uri('fn', image.manifestDigest) });
    if (needsSandbox()) return t.skip(needsSandbox() as string);
    const { payload, functionError, log } = await invoke(lambda, 'from-image', { hello: 'image' });
    assert.equal(functionError, undefined, `${JSON.stringify(payload)}\n${log}`);
    assert.equal(payload.handler, 'app.handler');
    assert.deepEqual(payload.args, ['app.handler']);
    assert.equal(payload.taskRoot, '/var/task');
    assert.equal(payload.cwd, '/var/task');
    assert.equal(payload.fromImageEnv, 'yes');
    assert.equal(payload.functionVar, 'set');
    assert.equal(payload.greeting, 'hello from v1');
    assert.equal(payload.removedGone, true);
    assert.deepEqual(payload.optDir, ['c']);
    assert.equal(payload.hardLinked, 'one file, two names');
    assert.equal(payload.tmpWritable, true);
    assert.equal(payload.rootWritable, false);
    assert.notEqual(payload.uid, 0);
    assert.deepEqual(payload.event, { hello: 'image' });
    const failed = await invoke(lambda, 'from-image', { fail: true });
    assert.equal(failed.functionError, 'Unhandled');
    assert.equal(failed.payload.errorType, 'ImageError');
  });

  test("an image function has its own network: its Runtime API at 127.0.0.1:9001, no host loopback port", async (t) => {
    const { networkSkip } = hostIsolation();
    if (networkSkip) return t.skip(networkSkip);
    const hostOnly = createServer((socket) => socket.on('error', () => undefined).end());
    await new Promise<void>((resolve) => hostOnly.listen(0, '127.0.0.1', resolve));
    try {
      const image = functionImage('network probe');
      assert.equal((await pushImage(server.url, auth, 'fn', 'network', image)).status, 201);
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'image-network', PackageType: 'Image', Role: ROLE, Code: { ImageUri: uri('fn', 'network') } }));
      await waitForState(lambda, 'image-network');
      const { payload, functionError, log } = await invoke(lambda, 'image-network', { probePort: (hostOnly.address() as AddressInfo).port });
      assert.equal(functionError, undefined, `${JSON.stringify(payload)}\n${log}`);
      assert.equal(payload.runtimeApi, '127.0.0.1:9001');
      assert.match(String(payload.probe), /connection refused/);
    } finally {
      hostOnly.close();
    }
  });

  test('ImageConfig overrides the command and working directory; _HANDLER follows the command', async (t) => {
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'from-image', ImageConfig: { Command: ['other.handler', 'extra'], WorkingDirectory: '/opt' } }));
    const got = await waitForState(lambda, 'from-image');
    assert.deepEqual((got.Configuration as Record<string, unknown>).ImageConfigResponse, { ImageConfig: { Command: ['other.handler', 'extra'], WorkingDirectory: '/opt' } });
    if (needsSandbox()) return t.skip(needsSandbox() as string);
    const { payload } = await invoke(lambda, 'from-image');
    assert.equal(payload.handler, 'other.handler');
    assert.deepEqual(payload.args, ['other.handler', 'extra']);
    assert.equal(payload.cwd, '/opt');
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'from-image', ImageConfig: {} }));
    await waitForState(lambda, 'from-image');
  });

  test('UpdateFunctionCode moves the function to the digest the tag names now', async (t) => {
    const v2 = functionImage('hello from v2');
    assert.equal((await pushImage(server.url, auth, 'fn', 'latest', v2)).status, 201);
    // Until updated, the function keeps the digest it resolved at create.
    const before = await waitForState(lambda, 'from-image');
    assert.notEqual((before.Code as Record<string, string>).ResolvedImageUri, uri('fn', v2.manifestDigest));
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'from-image', ImageUri: uri('fn', 'latest') }));
    assert.equal(updated.CodeSha256, v2.manifestDigest.slice(7));
    const got = await waitForState(lambda, 'from-image');
    assert.equal((got.Code as Record<string, string>).ResolvedImageUri, uri('fn', v2.manifestDigest));
    const noUri = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'from-image', ZipFile: Buffer.from('x') })).catch((e: Error) => e);
    assert.equal((noUri as Error).name, 'InvalidParameterValueException');
    assert.equal((noUri as Error).message, 'Please provide ImageUri when updating a function with packageType Image.');
    if (needsSandbox()) return t.skip(needsSandbox() as string);
    assert.equal((await invoke(lambda, 'from-image')).payload.greeting, 'hello from v2');
  });

  test('while an image update is InProgress, invokes run the previous image (in its warm environment); then the new one', async (t) => {
    if (needsSandbox()) return t.skip(needsSandbox() as string);
    // A server of its own whose updates stay InProgress long enough to invoke in between.
    const slow = await startTestServer({ LAMBKIN_PROVISIONING_DELAY_MS: '1500' });
    t.after(() => slow.stop());
    const slowLambda = slow.lambda();
    const slowAuth = basicAuth('AWS', await registryPassword(slow.url));
    const slowUri = (reference: string) => `000000000000.dkr.ecr.us-east-1.localhost:${slow.lambkin.port}/slow:${reference}`;
    assert.equal((await ecrCall(slow.url, 'CreateRepository', { repositoryName: 'slow' })).status, 200);
    assert.equal((await pushImage(slow.url, slowAuth, 'slow', 'v1', functionImage('old image'))).status, 201);
    assert.equal((await pushImage(slow.url, slowAuth, 'slow', 'v2', functionImage('new image'))).status, 201);
    await slowLambda.send(new CreateFunctionCommand({ FunctionName: 'updating', PackageType: 'Image', Role: ROLE, Code: { ImageUri: slowUri('v1') } }));
    await waitForState(slowLambda, 'updating');
    const warm = await invoke(slowLambda, 'updating');
    assert.equal(warm.payload.greeting, 'old image');

    const updated = await slowLambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'updating', ImageUri: slowUri('v2') }));
    assert.equal(updated.LastUpdateStatus, 'InProgress');
    const during = await invoke(slowLambda, 'updating');
    assert.equal(during.payload.greeting, 'old image');
    // The same environment served it: no Init Duration in its REPORT line.
    assert.doesNotMatch(during.log, /Init Duration/);
    await waitForState(slowLambda, 'updating');
    assert.equal((await invoke(slowLambda, 'updating')).payload.greeting, 'new image');
  });

  test('an image pushed with skopeo copy runs as a function', { skip: skopeoMissing ? 'skopeo is not on PATH: install the Debian package skopeo' : false }, async (t) => {
    await ecrCall(server.url, 'CreateRepository', { repositoryName: 'skopeo' });
    const image = functionImage('pushed by skopeo');
    const layout = path.join(work, 'skopeo-layout');
    writeOciLayout(layout, 'v1', image);
    const password = auth.slice('Basic '.length);
    const creds = Buffer.from(password, 'base64').toString();
    // Not spawnSync: the server answering skopeo runs in this process.
    const copy = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile('skopeo', ['copy', '--dest-tls-verify=false', '--dest-creds', creds, `oci:${layout}:v1`, `docker://127.0.0.1:${server.lambkin.port}/skopeo:v1`], (err, _out, stderr) =>
        resolve({ code: err ? 1 : 0, stderr }),
      );
    });
    assert.equal(copy.code, 0, copy.stderr);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'skopeo-image', PackageType: 'Image', Role: ROLE, Code: { ImageUri: `127.0.0.1:${server.lambkin.port}/skopeo:v1` } }));
    const got = await waitForState(lambda, 'skopeo-image');
    assert.equal((got.Code as Record<string, string>).ResolvedImageUri, `127.0.0.1:${server.lambkin.port}/skopeo@${image.manifestDigest}`);
    if (needsSandbox()) return t.skip(needsSandbox() as string);
    assert.equal((await invoke(lambda, 'skopeo-image')).payload.greeting, 'pushed by skopeo');
  });

  test('zstd-compressed layers unpack as gzip ones do', { skip: zstdAvailable ? false : 'zstd is not on PATH: install the Debian package zstd' }, async (t) => {
    const image = functionImage('zstd layers', 'zstd');
    assert.equal((await pushImage(server.url, auth, 'zstd', 'v1', image)).status, 201);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'zstd-image', PackageType: 'Image', Role: ROLE, Code: { ImageUri: uri('zstd', 'v1') } }));
    await waitForState(lambda, 'zstd-image');
    if (needsSandbox()) return t.skip(needsSandbox() as string);
    const { payload } = await invoke(lambda, 'zstd-image');
    assert.equal(payload.greeting, 'zstd layers');
    assert.deepEqual(payload.optDir, ['c']);
  });

  test('an image whose entrypoint is /lambda-entrypoint.sh runs its command through the script', async (t) => {
    const script = '#!/bin/sh\n# As the AWS base images do: the handler is the first argument.\nexec /bin/runtime "$@"\n';
    const image = buildImage({
      layers: [tarArchive(shellLayer()), tarArchive([{ name: 'bin', type: 'dir' }, { name: 'bin/runtime', body: runtime, mode: 0o755 }, { name: 'lambda-entrypoint.sh', body: script, mode: 0o755 }, { name: 'var', type: 'dir' }, { name: 'var/task', type: 'dir' }])],
      entrypoint: ['/lambda-entrypoint.sh'],
      cmd: ['index.handler'],
      workingDir: '/var/task',
    });
    assert.equal((await pushImage(server.url, auth, 'entrypoint', 'v1', image)).status, 201);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'entrypoint-script', PackageType: 'Image', Role: ROLE, Code: { ImageUri: uri('entrypoint', 'v1') } }));
    await waitForState(lambda, 'entrypoint-script');
    if (needsSandbox()) return t.skip(needsSandbox() as string);
    const { payload, functionError, log } = await invoke(lambda, 'entrypoint-script', { via: 'script' });
    assert.equal(functionError, undefined, `${JSON.stringify(payload)}\n${log}`);
    assert.equal(payload.handler, 'index.handler');
    assert.deepEqual(payload.args, ['index.handler']);
  });

  test('a missing entrypoint is Runtime.InvalidEntrypoint', async (t) => {
    const image = buildImage({ layers: [tarArchive([{ name: 'etc', type: 'dir' }, { name: 'etc/nothing', body: '' }])], entrypoint: ['/lambda-entrypoint.sh'], cmd: ['app.handler'] });
    assert.equal((await pushImage(server.url, auth, 'broken', 'v1', image)).status, 201);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'no-entrypoint', PackageType: 'Image', Role: ROLE, Code: { ImageUri: uri('broken', 'v1') } }));
    await waitForState(lambda, 'no-entrypoint');
    if (needsSandbox()) return t.skip(needsSandbox() as string);
    const { payload, functionError } = await invoke(lambda, 'no-entrypoint');
    assert.equal(functionError, 'Unhandled');
    assert.equal(payload.errorType, 'Runtime.InvalidEntrypoint');
    assert.match(String(payload.errorMessage), /Error: fork\/exec \/lambda-entrypoint.sh: no such file or directory$/);
  });

  test("CreateFunction's errors: a missing image or repository, another registry, an image of another architecture", async () => {
    const fail = (ImageUri: string, extra: Record<string, unknown> = {}) =>
      lambda.send(new CreateFunctionCommand({ FunctionName: `bad-${Math.random().toString(36).slice(2, 8)}`, PackageType: 'Image', Role: ROLE, Code: { ImageUri }, ...extra })).then(
        () => assert.fail('created'),
        (e: Error) => e,
      );
    const missingTag = await fail(uri('fn', 'no-such-tag'));
    assert.equal(missingTag.name, 'InvalidParameterValueException');
    assert.equal(missingTag.message, `Source image ${uri('fn', 'no-such-tag')} does not exist. Provide a valid source image.`);
    assert.equal((await fail(uri('no-such-repo', 'latest'))).message, `Source image ${uri('no-such-repo', 'latest')} does not exist. Provide a valid source image.`);
    const otherAccount = `111111111111.dkr.ecr.us-east-1.localhost:${server.lambkin.port}/fn:latest`;
    assert.equal((await fail(otherAccount)).message, `Source image ${otherAccount} is not valid. Provide a valid source image.`);
    const otherRegion = `000000000000.dkr.ecr.eu-west-1.localhost:${server.lambkin.port}/fn:latest`;
    assert.equal((await fail(otherRegion)).message, `Source image ${otherRegion} is not valid. Provide a valid source image.`);
    const arm = buildImage({ layers: [tarArchive([{ name: 'f', body: 'arm' }])], architecture: 'arm64', entrypoint: ['/f'] });
    assert.equal((await pushImage(server.url, auth, 'arm', 'v1', arm)).status, 201);
    const wrongArch = await fail(uri('arm', 'v1'));
    assert.equal(wrongArch.name, 'InvalidParameterValueException');
    assert.match(wrongArch.message, /linux\/arm64.*x86_64/);
    // The same image for an arm64 function is fine.
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'arm-image', PackageType: 'Image', Role: ROLE, Architectures: ['arm64'], Code: { ImageUri: uri('arm', 'v1') } }));
  });

  test('an image deleted from the registry after create fails the function (ImageDeleted)', async () => {
    const image = functionImage('soon gone');
    await ecrCall(server.url, 'CreateRepository', { repositoryName: 'doomed' });
    assert.equal((await pushImage(server.url, auth, 'doomed', 'v1', image)).status, 201);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'doomed', PackageType: 'Image', Role: ROLE, Code: { ImageUri: uri('doomed', 'v1') } }));
    await waitForState(lambda, 'doomed');
    await ecrCall(server.url, 'BatchDeleteImage', { repositoryName: 'doomed', imageIds: [{ imageTag: 'v1' }] });
    const refused = await lambda.send(new InvokeCommand({ FunctionName: 'doomed' })).then(() => null, (e: Error) => e);
    assert.equal(refused?.name, 'ResourceConflictException');
    assert.equal(refused?.message, 'The operation cannot be performed at this time. The function is currently in the following state: Failed');
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'doomed' }));
    assert.equal(got.Configuration?.State, 'Failed');
    assert.equal(got.Configuration?.StateReasonCode, 'ImageDeleted');
  });

  test('UpdateFunctionCode with a new image brings an ImageDeleted function back through Pending to Active', async (t) => {
    const replacement = functionImage('back again');
    assert.equal((await pushImage(server.url, auth, 'doomed', 'v2', replacement)).status, 201);
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'doomed', ImageUri: uri('doomed', 'v2') }));
    assert.deepEqual([updated.State, updated.StateReasonCode, updated.LastUpdateStatus], ['Pending', 'Creating', 'InProgress']);
    const got = (await waitForState(lambda, 'doomed')) as { Configuration: Record<string, unknown>; Code: Record<string, string> };
    assert.deepEqual([got.Configuration.State, got.Configuration.StateReasonCode, got.Configuration.LastUpdateStatus], ['Active', undefined, 'Successful']);
    assert.equal(got.Code.ResolvedImageUri, uri('doomed', replacement.manifestDigest));
    if (needsSandbox()) return t.skip(needsSandbox() as string);
    assert.equal((await invoke(lambda, 'doomed')).payload.greeting, 'back again');
  });

  test("an image over 10 GiB uncompressed fails the function while Pending with AWS's InvalidImage reason; a failed update keeps the previous image", { skip: zstdAvailable ? false : 'zstd is not on PATH: install the Debian package zstd' }, async () => {
    await ecrCall(server.url, 'CreateRepository', { repositoryName: 'huge' });
    // 10 GiB and 1 MiB of zeros in a 330 kB zstd layer, on top of the usual image.
    const zeros = { bytes: zstdZeros(10 * 1024 ** 3 + 1024 ** 2), mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' };
    const base = functionImage('fits');
    const huge = buildImage({ layers: [tarArchive([{ name: 'bootstrap', body: '#!/bin/sh\n', mode: 0o755 }])], compressedLayers: [zeros], entrypoint: ['/bootstrap'] });
    assert.equal((await pushImage(server.url, auth, 'huge', 'huge', huge)).status, 201);
    assert.equal((await pushImage(server.url, auth, 'huge', 'fits', base)).status, 201);
    const reason = 'SizeLimitExceeded: Uncompressed container image size exceeds 10 GiB limit';

    const created = await lambda.send(new CreateFunctionCommand({ FunctionName: 'too-large', PackageType: 'Image', Role: ROLE, Code: { ImageUri: uri('huge', 'huge') } }));
    assert.equal(created.State, 'Pending', 'CreateFunction accepts it: the size is known once the image is read');
    const failed = (await waitForState(lambda, 'too-large', 120_000)) as { Configuration: Record<string, unknown> };
    assert.deepEqual(
      [failed.Configuration.State, failed.Configuration.StateReasonCode, failed.Configuration.StateReason, failed.Configuration.LastUpdateStatus, failed.Configuration.LastUpdateStatusReasonCode],
      ['Failed', 'InvalidImage', reason, 'Failed', 'InvalidImage'],
    );
    const refused = await lambda.send(new InvokeCommand({ FunctionName: 'too-large' })).then(() => null, (e: Error) => e);
    assert.equal(refused?.name, 'ResourceConflictException');
    // The way back: a usable image.
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'too-large', ImageUri: uri('huge', 'fits') }));
    const back = (await waitForState(lambda, 'too-large')) as { Configuration: Record<string, unknown> };
    assert.deepEqual([back.Configuration.State, back.Configuration.LastUpdateStatus], ['Active', 'Successful']);

    // An Active function updated to the oversized image: the update fails, the function keeps its image.
    const update = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'too-large', ImageUri: uri('huge', 'huge') }));
    assert.equal(update.CodeSha256, huge.manifestDigest.slice(7));
    const after = (await waitForState(lambda, 'too-large', 120_000)) as { Configuration: Record<string, unknown>; Code: Record<string, string> };
    assert.deepEqual(
      [after.Configuration.State, after.Configuration.LastUpdateStatus, after.Configuration.LastUpdateStatusReasonCode, after.Configuration.LastUpdateStatusReason],
      ['Active', 'Failed', 'InvalidImage', reason],
    );
    assert.equal(after.Configuration.CodeSha256, base.manifestDigest.slice(7));
    assert.equal(after.Code.ResolvedImageUri, uri('huge', base.manifestDigest));
  });
});

describe('container image functions in plain mode', { skip: goMissing ? 'Go is not on PATH: install the Debian package golang-go' : false }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ LAMBKIN_ISOLATION: 'plain' });
  });
  after(() => server.stop());

  test('invoking says images need the bubblewrap sandbox', async () => {
    const lambda = server.lambda();
    await ecrCall(server.url, 'CreateRepository', { repositoryName: 'plain' });
    const auth = basicAuth('AWS', await registryPassword(server.url));
    const image = buildImage({ layers: [tarArchive([{ name: 'bootstrap', body: '#!/bin/sh\n', mode: 0o755 }])], entrypoint: ['/bootstrap'] });
    assert.equal((await pushImage(server.url, auth, 'plain', 'v1', image)).status, 201);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'plain-image', PackageType: 'Image', Role: ROLE, Code: { ImageUri: `127.0.0.1:${server.lambkin.port}/plain:v1` } }));
    await waitForState(lambda, 'plain-image');
    const { payload, functionError } = await invoke(lambda, 'plain-image');
    assert.equal(functionError, 'Unhandled');
    assert.equal(payload.errorType, 'Runtime.InvalidEntrypoint');
    assert.match(String(payload.errorMessage), /container image functions need the bubblewrap sandbox/);
  });
});
