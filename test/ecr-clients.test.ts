import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ecrCall } from './support/ecr.js';
import { basicAuth, buildImage, pushImage, tarArchive, writeOciLayout } from './support/oci-image.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, runCommand } from './support/cli.js';

const skopeoMissing = spawnSync('skopeo', ['--version'], { stdio: 'ignore' }).error !== undefined;
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };

const run = (command: string, args: string[]) => runCommand(command, args, env, { maxBuffer: 64 * 1024 * 1024 });

describe('the AWS CLI and skopeo drive the registry', { skip: awsCliSkip }, () => {
  let server: TestServer;
  let work: string;
  before(async () => {
    server = await startTestServer();
    work = mkdtempSync(path.join(tmpdir(), 'lambkin-oci-'));
  });
  after(async () => {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const out = await run('aws', ['--endpoint-url', server.url, '--output', 'json', 'ecr', ...args]);
    assert.equal(out.code, 0, out.stderr);
    return out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : {};
  };

  test('aws ecr create-repository, describe-repositories, get-login-password', async () => {
    const created = await aws('create-repository', '--repository-name', 'cli/app', '--image-tag-mutability', 'IMMUTABLE');
    assert.equal((created.repository as Record<string, unknown>).imageTagMutability, 'IMMUTABLE');
    const described = await aws('describe-repositories');
    assert.deepEqual((described.repositories as Array<{ repositoryName: string }>).map((r) => r.repositoryName), ['cli/app']);
    const login = await run('aws', ['--endpoint-url', server.url, 'ecr', 'get-login-password']);
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout.trim(), /^[\w-]+\.[\w-]+$/);
  });

  test('skopeo copies an OCI image in with the ECR password, inspects it, and aws ecr sees it', { skip: skopeoMissing ? 'skopeo is not on PATH: install the Debian package skopeo' : false }, async () => {
    await aws('create-repository', '--repository-name', 'pushed');
    const password = (await run('aws', ['--endpoint-url', server.url, 'ecr', 'get-login-password'])).stdout.trim();
    const image = buildImage({
      layers: [tarArchive([{ name: 'etc', type: 'dir' }, { name: 'etc/greeting', body: 'hello' }]), tarArchive([{ name: 'bin', type: 'dir' }, { name: 'bin/run', body: '#!/bin/sh\n', mode: 0o755 }])],
      entrypoint: ['/bin/run'],
    });
    const layout = path.join(work, 'layout');
    writeOciLayout(layout, 'v1', image);
    // Path-style: `*.localhost` names do not resolve everywhere, the address always does.
    const registry = `127.0.0.1:${server.lambkin.port}`;
    const copy = await run('skopeo', ['copy', '--dest-tls-verify=false', '--dest-creds', `AWS:${password}`, `oci:${layout}:v1`, `docker://${registry}/pushed:v1`]);
    assert.equal(copy.code, 0, copy.stderr);
    const inspect = await run('skopeo', ['inspect', '--tls-verify=false', '--creds', `AWS:${password}`, `docker://${registry}/pushed:v1`]);
    assert.equal(inspect.code, 0, inspect.stderr);
    const info = JSON.parse(inspect.stdout) as { Digest: string; Layers: string[]; Architecture: string };
    assert.equal(info.Digest, image.manifestDigest);
    assert.deepEqual(info.Layers, image.layers.map((l) => l.digest));
    assert.equal(info.Architecture, 'amd64');
    const raw = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', '--creds', `AWS:${password}`, `docker://${registry}/pushed:v1`]);
    assert.equal(raw.stdout, image.manifest.toString());
    // Copy it back out and compare the layers byte for byte.
    const out = path.join(work, 'out');
    const back = await run('skopeo', ['copy', '--src-tls-verify=false', '--src-creds', `AWS:${password}`, `docker://${registry}/pushed:v1`, `oci:${out}:v1`]);
    assert.equal(back.code, 0, back.stderr);
    // A Docker schema 2 image: skopeo accepts every manifest type and gets it as stored.
    const docker = buildImage({ layers: [tarArchive([{ name: 'd', body: 'docker' }])], format: 'docker' });
    assert.equal((await pushImage(server.url, basicAuth('AWS', password), 'pushed', 'docker', docker)).status, 201);
    const dockerRaw = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', '--creds', `AWS:${password}`, `docker://${registry}/pushed:docker`]);
    assert.equal(dockerRaw.stdout, docker.manifest.toString());
    const dockerInfo = JSON.parse((await run('skopeo', ['inspect', '--tls-verify=false', '--creds', `AWS:${password}`, `docker://${registry}/pushed:docker`])).stdout) as { Digest: string };
    assert.equal(dockerInfo.Digest, docker.manifestDigest);
    await run('aws', ['--endpoint-url', server.url, 'ecr', 'batch-delete-image', '--repository-name', 'pushed', '--image-ids', 'imageTag=docker']);
    const images = await aws('describe-images', '--repository-name', 'pushed');
    const detail = (images.imageDetails as Array<{ imageDigest: string; imageTags: string[] }>)[0]!;
    assert.equal(detail.imageDigest, image.manifestDigest);
    assert.deepEqual(detail.imageTags, ['v1']);
    // Without credentials skopeo meets the 401 challenge and fails.
    const anonymous = await run('skopeo', ['inspect', '--tls-verify=false', '--no-creds', `docker://${registry}/pushed:v1`]);
    assert.notEqual(anonymous.code, 0);
    assert.match(anonymous.stderr, /unauthorized|authentication required/i);
    const bad = await ecrCall(server.url, 'BatchDeleteImage', { repositoryName: 'pushed', imageIds: [{ imageTag: 'v1' }] });
    assert.equal(bad.status, 200);
  });
});
