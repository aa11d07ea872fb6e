import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { after, before, describe, test } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { ecrCall, registryPassword } from './support/ecr.js';
import { basicAuth, buildImage, digestOf, pushImage, tarArchive } from './support/oci-image.js';
import { rawRequest } from './support/raw-http.js';
import { startTestServer, type TestServer } from './support/server.js';

function errorCode(body: string): string {
  return (JSON.parse(body) as { errors: Array<{ code: string }> }).errors[0]!.code;
}

describe('the container registry (OCI Distribution API) and ECR', () => {
  let server: TestServer;
  let auth: string;
  before(async () => {
    server = await startTestServer();
    const created = await ecrCall(server.url, 'CreateRepository', { repositoryName: 'team/app' });
    assert.equal(created.status, 200, created.body);
    auth = basicAuth('AWS', await registryPassword(server.url));
  });
  after(() => server.stop());

  test('GET /v2/ without credentials is the Basic challenge; with the ECR token it answers 200', async () => {
    const anonymous = await rawRequest(server.url, { method: 'GET', path: '/v2/' });
    assert.equal(anonymous.status, 401);
    assert.match(String(anonymous.headers['www-authenticate']), /^Basic realm="http:\/\/127\.0\.0\.1:\d+\/",service="ecr.amazonaws.com"$/);
    assert.equal(errorCode(anonymous.body), 'UNAUTHORIZED');
    const forged = await rawRequest(server.url, { method: 'GET', path: '/v2/', headers: { authorization: basicAuth('AWS', 'x.y') } });
    assert.equal(forged.status, 401);
    const ok = await rawRequest(server.url, { method: 'GET', path: '/v2/', headers: { authorization: auth } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['docker-distribution-api-version'], 'registry/2.0');
    // An access key and its secret work as well (plain `docker login -u <key> -p <secret>`).
    const keyPair = await rawRequest(server.url, { method: 'GET', path: '/v2/', headers: { authorization: basicAuth('test', 'test') } });
    assert.equal(keyPair.status, 200);
    const wrongSecret = await rawRequest(server.url, { method: 'GET', path: '/v2/', headers: { authorization: basicAuth('test', 'nope') } });
    assert.equal(wrongSecret.status, 401);
  });

  test('a chunked upload (POST, PATCH, PATCH, PUT ?digest=) stores the blob under its digest', async () => {
    const bytes = Buffer.from('a'.repeat(70_000) + 'b'.repeat(30_000));
    const digest = digestOf(bytes);
    const start = await rawRequest(server.url, { method: 'POST', path: '/v2/team/app/blobs/uploads/', headers: { authorization: auth } });
    assert.equal(start.status, 202);
    const location = String(start.headers.location);
    assert.match(location, /^\/v2\/team\/app\/blobs\/uploads\/[0-9a-f-]+$/);
    const first = await rawRequest(server.url, { method: 'PATCH', path: location, headers: { authorization: auth, 'content-range': '0-69999' }, body: bytes.subarray(0, 70_000) });
    assert.equal(first.status, 202);
    assert.equal(first.headers.range, '0-69999');
    // A chunk that does not continue where the upload stands is refused with 416.
    const gap = await rawRequest(server.url, { method: 'PATCH', path: location, headers: { authorization: auth, 'content-range': '80000-89999' }, body: bytes.subarray(80_000, 90_000) });
    assert.equal(gap.status, 416);
    const second = await rawRequest(server.url, { method: 'PATCH', path: location, headers: { authorization: auth, 'content-range': '70000-99999' }, body: bytes.subarray(70_000) });
    assert.equal(second.status, 202);
    const status = await rawRequest(server.url, { method: 'GET', path: location, headers: { authorization: auth } });
    assert.equal(status.status, 204);
    assert.equal(status.headers.range, '0-99999');
    const done = await rawRequest(server.url, { method: 'PUT', path: `${location}?digest=${digest}`, headers: { authorization: auth } });
    assert.equal(done.status, 201, done.body);
    assert.equal(done.headers['docker-content-digest'], digest);
    assert.equal(done.headers.location, `/v2/team/app/blobs/${digest}`);
    const head = await rawRequest(server.url, { method: 'HEAD', path: `/v2/team/app/blobs/${digest}`, headers: { authorization: auth } });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '100000');
    const got = await rawRequest(server.url, { method: 'GET', path: `/v2/team/app/blobs/${digest}`, headers: { authorization: auth } });
    assert.equal(got.body, bytes.toString());
  });

  test('a blob whose bytes do not hash to the digest is DIGEST_INVALID and is not stored', async () => {
    const claimed = digestOf(Buffer.from('something else'));
    const res = await rawRequest(server.url, { method: 'POST', path: `/v2/team/app/blobs/uploads/?digest=${claimed}`, headers: { authorization: auth }, body: 'these bytes' });
    assert.equal(res.status, 400);
    assert.equal(errorCode(res.body), 'DIGEST_INVALID');
    const head = await rawRequest(server.url, { method: 'GET', path: `/v2/team/app/blobs/${claimed}`, headers: { authorization: auth } });
    assert.equal(head.status, 404);
    assert.equal(errorCode(head.body), 'BLOB_UNKNOWN');
  });

  test('manifests by tag and by digest, with their media type and Docker-Content-Digest', async () => {
    const image = buildImage({ layers: [tarArchive([{ name: 'hello.txt', body: 'hi' }])], cmd: ['/hello'] });
    const pushed = await pushImage(server.url, auth, 'team/app', 'v1', image);
    assert.equal(pushed.status, 201, pushed.body);
    assert.equal(pushed.headers['docker-content-digest'], image.manifestDigest);
    for (const reference of ['v1', image.manifestDigest]) {
      const got = await rawRequest(server.url, { method: 'GET', path: `/v2/team/app/manifests/${reference}`, headers: { authorization: auth } });
      assert.equal(got.status, 200);
      assert.equal(got.headers['content-type'], 'application/vnd.oci.image.manifest.v1+json');
      assert.equal(got.headers['docker-content-digest'], image.manifestDigest);
      assert.equal(got.body, image.manifest.toString());
    }
    const head = await rawRequest(server.url, { method: 'HEAD', path: '/v2/team/app/manifests/v1', headers: { authorization: auth } });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(image.manifest.length));
    const tags = await rawRequest(server.url, { method: 'GET', path: '/v2/team/app/tags/list', headers: { authorization: auth } });
    assert.deepEqual(tags.json(), { name: 'team/app', tags: ['v1'] });
  });

  test('a Docker v2 schema 2 manifest and a manifest list keep their own media types', async () => {
    const amd = buildImage({ layers: [tarArchive([{ name: 'a', body: 'amd64' }])], format: 'docker' });
    const arm = buildImage({ layers: [tarArchive([{ name: 'a', body: 'arm64' }])], format: 'docker', architecture: 'arm64' });
    assert.equal((await pushImage(server.url, auth, 'team/app', 'amd', amd)).status, 201);
    assert.equal((await pushImage(server.url, auth, 'team/app', 'arm', arm)).status, 201);
    const list = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [
        { mediaType: amd.mediaType, digest: amd.manifestDigest, size: amd.manifest.length, platform: { architecture: 'amd64', os: 'linux' } },
        { mediaType: arm.mediaType, digest: arm.manifestDigest, size: arm.manifest.length, platform: { architecture: 'arm64', os: 'linux' } },
      ],
    }));
    const put = await rawRequest(server.url, { method: 'PUT', path: '/v2/team/app/manifests/multi', headers: { authorization: auth, 'content-type': 'application/vnd.docker.distribution.manifest.list.v2+json' }, body: list });
    assert.equal(put.status, 201, put.body);
    const got = await rawRequest(server.url, { method: 'GET', path: '/v2/team/app/manifests/multi', headers: { authorization: auth } });
    assert.equal(got.headers['content-type'], 'application/vnd.docker.distribution.manifest.list.v2+json');
    assert.equal(got.headers['docker-content-digest'], digestOf(list));
    // An index naming a manifest the repository lacks is refused.
    const dangling = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: amd.mediaType, digest: digestOf(Buffer.from('x')), size: 1 }] }));
    const refused = await rawRequest(server.url, { method: 'PUT', path: '/v2/team/app/manifests/dangling', headers: { authorization: auth, 'content-type': 'application/vnd.oci.image.index.v1+json' }, body: dangling });
    assert.equal(refused.status, 404);
    assert.equal(errorCode(refused.body), 'MANIFEST_UNKNOWN');
  });

  test("Accept negotiation: by tag, Docker schema 2 and OCI manifests are converted as ECR converts them; by digest, never", async () => {
    const OCI = 'application/vnd.oci.image.manifest.v1+json';
    const DOCKER = 'application/vnd.docker.distribution.manifest.v2+json';
    const get = (path: string, accept?: string) => rawRequest(server.url, { method: 'GET', path, headers: { authorization: auth, ...(accept ? { accept } : {}) } });
    const docker = buildImage({ layers: [tarArchive([{ name: 'd', body: 'docker format' }])], format: 'docker' });
    assert.equal((await pushImage(server.url, auth, 'team/app', 'docker-format', docker)).status, 201);

    // A client that reads only OCI gets the Docker image as an OCI manifest: same blobs, OCI types.
    const asOci = await get('/v2/team/app/manifests/docker-format', OCI);
    assert.equal(asOci.status, 200, asOci.body);
    assert.equal(asOci.headers['content-type'], OCI);
    const converted = JSON.parse(asOci.body) as { mediaType: string; config: { mediaType: string; digest: string }; layers: Array<{ mediaType: string; digest: string; size: number }> };
    assert.equal(converted.mediaType, OCI);
    assert.equal(converted.config.mediaType, 'application/vnd.oci.image.config.v1+json');
    assert.equal(converted.config.digest, docker.config.digest);
    assert.deepEqual(converted.layers.map((l) => [l.mediaType, l.digest, l.size]), docker.layers.map((l) => ['application/vnd.oci.image.layer.v1.tar+gzip', l.digest, l.bytes.length]));
    assert.equal(asOci.headers['docker-content-digest'], digestOf(Buffer.from(asOci.body)), 'the digest names the bytes sent');
    const head = await rawRequest(server.url, { method: 'HEAD', path: '/v2/team/app/manifests/docker-format', headers: { authorization: auth, accept: OCI } });
    assert.deepEqual([head.headers['content-type'], head.headers['docker-content-digest'], head.headers['content-length']], [OCI, asOci.headers['docker-content-digest'], String(Buffer.byteLength(asOci.body))]);
    // By digest there is no conversion: the stored bytes, whatever the client said.
    const byDigest = await get(`/v2/team/app/manifests/${docker.manifestDigest}`, OCI);
    assert.deepEqual([byDigest.status, byDigest.headers['content-type'], byDigest.body], [200, DOCKER, docker.manifest.toString()]);
    // Accepting the stored type, any type, or saying nothing: the stored bytes.
    for (const accept of [`${OCI}, ${DOCKER};q=0.5`, '*/*', undefined]) {
      const got = await get('/v2/team/app/manifests/docker-format', accept);
      assert.deepEqual([got.headers['content-type'], got.headers['docker-content-digest']], [DOCKER, docker.manifestDigest], String(accept));
    }

    // The other way: an OCI image to a client that reads only Docker's schema 2.
    const oci = buildImage({ layers: [tarArchive([{ name: 'o', body: 'oci format' }])] });
    assert.equal((await pushImage(server.url, auth, 'team/app', 'oci-format', oci)).status, 201);
    const asDocker = await get('/v2/team/app/manifests/oci-format', DOCKER);
    assert.equal(asDocker.headers['content-type'], DOCKER);
    const back = JSON.parse(asDocker.body) as { mediaType: string; config: { mediaType: string }; layers: Array<{ mediaType: string }> };
    assert.deepEqual([back.mediaType, back.config.mediaType, back.layers[0]!.mediaType], [DOCKER, 'application/vnd.docker.container.image.v1+json', 'application/vnd.docker.image.rootfs.diff.tar.gzip']);
    // By digest, an OCI manifest the client cannot read is refused as the reference registry refuses it.
    const refused = await get(`/v2/team/app/manifests/${oci.manifestDigest}`, DOCKER);
    assert.equal(refused.status, 404);
    assert.deepEqual(JSON.parse(refused.body), { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'OCI manifest found, but accept header does not support OCI manifests' }] });
  });

  test("the registry's error codes: MANIFEST_INVALID, MANIFEST_BLOB_UNKNOWN, DIGEST_INVALID, NAME_UNKNOWN, MANIFEST_UNKNOWN", async () => {
    const put = (path: string, body: string | Buffer, type = 'application/vnd.oci.image.manifest.v1+json') =>
      rawRequest(server.url, { method: 'PUT', path, headers: { authorization: auth, 'content-type': type }, body });
    const notJson = await put('/v2/team/app/manifests/bad', 'not json');
    assert.equal(notJson.status, 400);
    assert.equal(errorCode(notJson.body), 'MANIFEST_INVALID');
    const image = buildImage({ layers: [tarArchive([{ name: 'never-pushed', body: 'x' }])] });
    const missing = await put('/v2/team/app/manifests/missing', image.manifest);
    assert.equal(missing.status, 404);
    assert.equal(errorCode(missing.body), 'MANIFEST_BLOB_UNKNOWN');
    const wrongDigest = await put(`/v2/team/app/manifests/${digestOf(Buffer.from('other'))}`, image.manifest);
    assert.equal(wrongDigest.status, 400);
    assert.equal(errorCode(wrongDigest.body), 'DIGEST_INVALID');
    const noRepo = await rawRequest(server.url, { method: 'GET', path: '/v2/nope/manifests/latest', headers: { authorization: auth } });
    assert.equal(noRepo.status, 404);
    assert.equal(errorCode(noRepo.body), 'NAME_UNKNOWN');
    const noTag = await rawRequest(server.url, { method: 'GET', path: '/v2/team/app/manifests/absent', headers: { authorization: auth } });
    assert.equal(noTag.status, 404);
    assert.equal(errorCode(noTag.body), 'MANIFEST_UNKNOWN');
  });

  test('a blob is mounted from another repository of the account without a copy', async () => {
    await ecrCall(server.url, 'CreateRepository', { repositoryName: 'team/other' });
    const image = buildImage({ layers: [tarArchive([{ name: 'shared', body: 'shared layer' }])] });
    assert.equal((await pushImage(server.url, auth, 'team/app', 'shared', image)).status, 201);
    const layer = image.layers[0]!.digest;
    const mounted = await rawRequest(server.url, { method: 'POST', path: `/v2/team/other/blobs/uploads/?mount=${layer}&from=team/app`, headers: { authorization: auth } });
    assert.equal(mounted.status, 201);
    assert.equal(mounted.headers['docker-content-digest'], layer);
    const head = await rawRequest(server.url, { method: 'HEAD', path: `/v2/team/other/blobs/${layer}`, headers: { authorization: auth } });
    assert.equal(head.status, 200);
  });

  test('ECR lists, describes, gets, puts and deletes the images the registry holds', async () => {
    await ecrCall(server.url, 'CreateRepository', { repositoryName: 'ecr-api' });
    const image = buildImage({ layers: [tarArchive([{ name: 'f', body: 'ecr api' }])] });
    assert.equal((await pushImage(server.url, auth, 'ecr-api', 'one', image)).status, 201);
    const list = await ecrCall(server.url, 'ListImages', { repositoryName: 'ecr-api' });
    assert.deepEqual(list.json().imageIds, [{ imageDigest: image.manifestDigest, imageTag: 'one' }]);
    const described = (await ecrCall(server.url, 'DescribeImages', { repositoryName: 'ecr-api' })).json().imageDetails as Array<Record<string, unknown>>;
    assert.equal(described[0]!.imageDigest, image.manifestDigest);
    assert.deepEqual(described[0]!.imageTags, ['one']);
    assert.equal(described[0]!.imageSizeInBytes, image.layers[0]!.bytes.length);
    assert.equal(described[0]!.imageManifestMediaType, 'application/vnd.oci.image.manifest.v1+json');
    // PutImage tags the same manifest again; the same manifest and tag twice is ImageAlreadyExistsException.
    const put = await ecrCall(server.url, 'PutImage', { repositoryName: 'ecr-api', imageManifest: image.manifest.toString(), imageTag: 'two' });
    assert.equal(put.status, 200, put.body);
    const again = await ecrCall(server.url, 'PutImage', { repositoryName: 'ecr-api', imageManifest: image.manifest.toString(), imageTag: 'two' });
    assert.equal(again.json().__type, 'ImageAlreadyExistsException');
    const got = await ecrCall(server.url, 'BatchGetImage', { repositoryName: 'ecr-api', imageIds: [{ imageTag: 'two' }, { imageTag: 'absent' }] });
    const body = got.json() as { images: Array<{ imageManifest: string; imageId: { imageDigest: string } }>; failures: Array<{ failureCode: string }> };
    assert.equal(body.images[0]!.imageManifest, image.manifest.toString());
    assert.equal(body.images[0]!.imageId.imageDigest, image.manifestDigest);
    assert.equal(body.failures[0]!.failureCode, 'ImageNotFound');
    const notFound = await ecrCall(server.url, 'DescribeImages', { repositoryName: 'ecr-api', imageIds: [{ imageTag: 'absent' }] });
    assert.equal(notFound.json().__type, 'ImageNotFoundException');
    assert.equal(notFound.json().message, "The image with imageId {imageDigest:'null', imageTag:'absent'} does not exist within the repository with name 'ecr-api' in the registry with id '000000000000'");
    // Removing one of two tags keeps the image; removing the last one deletes it.
    const untag = await ecrCall(server.url, 'BatchDeleteImage', { repositoryName: 'ecr-api', imageIds: [{ imageTag: 'one' }] });
    assert.deepEqual(untag.json().imageIds, [{ imageDigest: image.manifestDigest, imageTag: 'one' }]);
    assert.equal((await ecrCall(server.url, 'ListImages', { repositoryName: 'ecr-api' })).json().imageIds instanceof Array, true);
    const notEmpty = await ecrCall(server.url, 'DeleteRepository', { repositoryName: 'ecr-api' });
    assert.equal(notEmpty.json().__type, 'RepositoryNotEmptyException');
    await ecrCall(server.url, 'BatchDeleteImage', { repositoryName: 'ecr-api', imageIds: [{ imageTag: 'two' }] });
    assert.deepEqual((await ecrCall(server.url, 'ListImages', { repositoryName: 'ecr-api' })).json().imageIds, []);
    const gone = await rawRequest(server.url, { method: 'GET', path: `/v2/ecr-api/manifests/${image.manifestDigest}`, headers: { authorization: auth } });
    assert.equal(gone.status, 404);
  });

  test('an immutable repository refuses to move a tag, through the registry and PutImage', async () => {
    await ecrCall(server.url, 'CreateRepository', { repositoryName: 'frozen', imageTagMutability: 'IMMUTABLE' });
    const a = buildImage({ layers: [tarArchive([{ name: 'f', body: 'a' }])] });
    const b = buildImage({ layers: [tarArchive([{ name: 'f', body: 'b' }])] });
    assert.equal((await pushImage(server.url, auth, 'frozen', 'v1', a)).status, 201);
    const moved = await pushImage(server.url, auth, 'frozen', 'v1', b);
    assert.equal(moved.status, 400);
    assert.equal(errorCode(moved.body), 'TAG_INVALID');
    const viaApi = await ecrCall(server.url, 'PutImage', { repositoryName: 'frozen', imageManifest: b.manifest.toString(), imageTag: 'v1' });
    assert.equal(viaApi.json().__type, 'ImageTagAlreadyExistsException');
    assert.equal(viaApi.json().message, "The image tag 'v1' already exists in the 'frozen' repository and cannot be overwritten because the repository is immutable.");
    await ecrCall(server.url, 'PutImageTagMutability', { repositoryName: 'frozen', imageTagMutability: 'MUTABLE' });
    assert.equal((await pushImage(server.url, auth, 'frozen', 'v1', b)).status, 201);
  });

  test('repositories: create, describe, duplicate, tags, forced delete; AWS errors and the registry URI', async () => {
    const created = await ecrCall(server.url, 'CreateRepository', { repositoryName: 'repo-one', tags: [{ Key: 'team', Value: 'a' }] });
    const repository = created.json().repository as Record<string, unknown>;
    assert.equal(repository.repositoryArn, 'arn:aws:ecr:us-east-1:000000000000:repository/repo-one');
    assert.equal(repository.repositoryUri, `000000000000.dkr.ecr.us-east-1.localhost:${server.lambkin.port}/repo-one`);
    assert.equal(repository.imageTagMutability, 'MUTABLE');
    const duplicate = await ecrCall(server.url, 'CreateRepository', { repositoryName: 'repo-one' });
    assert.equal(duplicate.status, 400);
    assert.equal(duplicate.json().__type, 'RepositoryAlreadyExistsException');
    assert.equal(duplicate.json().message, "The repository with name 'repo-one' already exists in the registry with id '000000000000'");
    const badName = await ecrCall(server.url, 'CreateRepository', { repositoryName: 'Upper' });
    assert.equal(badName.json().__type, 'InvalidParameterException');
    const missing = await ecrCall(server.url, 'DescribeRepositories', { repositoryNames: ['absent'] });
    assert.equal(missing.json().__type, 'RepositoryNotFoundException');
    const tags = await ecrCall(server.url, 'ListTagsForResource', { resourceArn: repository.repositoryArn });
    assert.deepEqual(tags.json().tags, [{ Key: 'team', Value: 'a' }]);
    await ecrCall(server.url, 'TagResource', { resourceArn: repository.repositoryArn, tags: [{ Key: 'stage', Value: 'dev' }] });
    await ecrCall(server.url, 'UntagResource', { resourceArn: repository.repositoryArn, tagKeys: ['team'] });
    assert.deepEqual((await ecrCall(server.url, 'ListTagsForResource', { resourceArn: repository.repositoryArn })).json().tags, [{ Key: 'stage', Value: 'dev' }]);
    // Another region's registry is another set of repositories.
    const elsewhere = await ecrCall(server.url, 'DescribeRepositories', { repositoryNames: ['repo-one'] }, { region: 'eu-west-1' });
    assert.equal(elsewhere.json().__type, 'RepositoryNotFoundException');
    const image = buildImage({ layers: [tarArchive([{ name: 'f', body: 'forced' }])] });
    assert.equal((await pushImage(server.url, auth, 'repo-one', 'latest', image)).status, 201);
    const forced = await ecrCall(server.url, 'DeleteRepository', { repositoryName: 'repo-one', force: true });
    assert.equal(forced.status, 200);
    const pull = await rawRequest(server.url, { method: 'GET', path: '/v2/repo-one/manifests/latest', headers: { authorization: auth } });
    assert.equal(errorCode(pull.body), 'NAME_UNKNOWN');
  });

  test('tags added at once to one repository are all kept', async () => {
    const created = await ecrCall(server.url, 'CreateRepository', { repositoryName: 'tags-at-once' });
    const resourceArn = (created.json().repository as Record<string, unknown>).repositoryArn;
    const kept: string[] = [];
    for (let round = 0; round < 3; round++) {
      const keys = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `${k}${round}`);
      const answers = await Promise.all(keys.map((Key) => ecrCall(server.url, 'TagResource', { resourceArn, tags: [{ Key, Value: Key }] })));
      assert.deepEqual(answers.map((a) => a.status), keys.map(() => 200));
      kept.push(...keys);
      const listed = (await ecrCall(server.url, 'ListTagsForResource', { resourceArn })).json().tags as Array<{ Key: string }>;
      assert.deepEqual(listed.map((t) => t.Key).sort(), [...kept].sort(), `round ${round}`);
    }
  });

  test('the registry host names its account and region; a token for another account is denied', async () => {
    const host = `000000000000.dkr.ecr.us-east-1.localhost:${server.lambkin.port}`;
    const ok = await rawRequest(server.url, { method: 'GET', path: '/v2/team/app/tags/list', headers: { authorization: auth, host } });
    assert.equal(ok.status, 200);
    const other = await rawRequest(server.url, { method: 'GET', path: '/v2/team/app/tags/list', headers: { authorization: auth, host: `111111111111.dkr.ecr.us-east-1.localhost:${server.lambkin.port}` } });
    assert.equal(other.status, 403);
    assert.equal(errorCode(other.body), 'DENIED');
  });

  test("a user's registry requests are held to its IAM policies: pull allowed, push denied with AWS's text", async () => {
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: 'puller' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'puller' }))).AccessKey!;
    const pull = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];
    await iam.send(new PutUserPolicyCommand({
      UserName: 'puller', PolicyName: 'pull-app',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        { Effect: 'Allow', Action: pull, Resource: 'arn:aws:ecr:us-east-1:000000000000:repository/team/*' },
        { Effect: 'Deny', Action: 'ecr:BatchGetImage', Resource: 'arn:aws:ecr:us-east-1:000000000000:repository/team/secret' },
      ] }),
    }));
    await ecrCall(server.url, 'CreateRepository', { repositoryName: 'team/secret' });
    const image = buildImage({ layers: [tarArchive([{ name: 'f', body: 'pulled by a user' }])] });
    assert.equal((await pushImage(server.url, auth, 'team/app', 'user-pull', image)).status, 201);
    assert.equal((await pushImage(server.url, auth, 'team/secret', 'v1', image)).status, 201);

    const tokenAnswer = await ecrCall(server.url, 'GetAuthorizationToken', {}, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    assert.equal(tokenAnswer.status, 200, tokenAnswer.body);
    const token = Buffer.from((tokenAnswer.json().authorizationData as Array<{ authorizationToken: string }>)[0]!.authorizationToken, 'base64').toString().slice(4);
    for (const user of [basicAuth('AWS', token), basicAuth(key.AccessKeyId!, key.SecretAccessKey!)]) {
      const manifest = await rawRequest(server.url, { method: 'GET', path: '/v2/team/app/manifests/user-pull', headers: { authorization: user, accept: image.mediaType } });
      assert.equal(manifest.status, 200, manifest.body);
      const layer = image.layers[0]!.digest;
      assert.equal((await rawRequest(server.url, { method: 'HEAD', path: `/v2/team/app/blobs/${layer}`, headers: { authorization: user } })).status, 200);
      assert.equal((await rawRequest(server.url, { method: 'GET', path: `/v2/team/app/blobs/${layer}`, headers: { authorization: user } })).status, 200);

      const upload = await rawRequest(server.url, { method: 'POST', path: '/v2/team/app/blobs/uploads/', headers: { authorization: user } });
      assert.equal(upload.status, 403);
      assert.deepEqual(JSON.parse(upload.body), { errors: [{ code: 'DENIED', message: 'User: arn:aws:iam::000000000000:user/puller is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:us-east-1:000000000000:repository/team/app because no identity-based policy allows the ecr:InitiateLayerUpload action' }] });
      const put = await rawRequest(server.url, { method: 'PUT', path: '/v2/team/app/manifests/again', headers: { authorization: user, 'content-type': image.mediaType }, body: image.manifest });
      assert.equal(put.status, 403);
      assert.match(JSON.parse(put.body).errors[0].message, /not authorized to perform: ecr:PutImage on resource: arn:aws:ecr:us-east-1:000000000000:repository\/team\/app because/);
      const removed = await rawRequest(server.url, { method: 'DELETE', path: `/v2/team/app/manifests/${image.manifestDigest}`, headers: { authorization: user } });
      assert.equal(removed.status, 403);
      const tags = await rawRequest(server.url, { method: 'GET', path: '/v2/team/app/tags/list', headers: { authorization: user } });
      assert.equal(tags.status, 403, 'ecr:ListImages is not granted');
      const secret = await rawRequest(server.url, { method: 'GET', path: '/v2/team/secret/manifests/v1', headers: { authorization: user, accept: image.mediaType } });
      assert.equal(secret.status, 403);
      assert.match(JSON.parse(secret.body).errors[0].message, /ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:000000000000:repository\/team\/secret with an explicit deny in an identity-based policy$/);
      // /v2/ itself needs no permission beyond the login.
      assert.equal((await rawRequest(server.url, { method: 'GET', path: '/v2/', headers: { authorization: user } })).status, 200);
    }
    // The account's own credentials are not held to policies.
    assert.equal((await rawRequest(server.url, { method: 'GET', path: '/v2/team/app/tags/list', headers: { authorization: auth } })).status, 200);
  });

  test('a chunked upload interrupted by a restart continues where its bytes end; uploads abandoned a week are deleted at start', async () => {
    const bytes = Buffer.concat([Buffer.alloc(40_000, 'x'), Buffer.alloc(25_000, 'y')]);
    const digest = digestOf(bytes);
    const start = await rawRequest(server.url, { method: 'POST', path: '/v2/team/app/blobs/uploads/', headers: { authorization: auth } });
    const location = String(start.headers.location);
    const first = await rawRequest(server.url, { method: 'PATCH', path: location, headers: { authorization: auth, 'content-range': '0-39999' }, body: bytes.subarray(0, 40_000) });
    assert.equal(first.status, 202);
    // A second upload, then one left a week and a day: the restart keeps the first two only.
    const other = String((await rawRequest(server.url, { method: 'POST', path: '/v2/team/app/blobs/uploads/', headers: { authorization: auth } })).headers.location);
    await server.restart();
    const status = await rawRequest(server.url, { method: 'GET', path: location, headers: { authorization: auth } });
    assert.equal(status.status, 204);
    assert.equal(status.headers.range, '0-39999');
    assert.equal((await rawRequest(server.url, { method: 'GET', path: other, headers: { authorization: auth } })).status, 204);
    const wrongStart = await rawRequest(server.url, { method: 'PATCH', path: location, headers: { authorization: auth, 'content-range': '0-24999' }, body: bytes.subarray(40_000) });
    assert.equal(wrongStart.status, 416);
    const second = await rawRequest(server.url, { method: 'PATCH', path: location, headers: { authorization: auth, 'content-range': '40000-64999' }, body: bytes.subarray(40_000) });
    assert.equal(second.status, 202);
    assert.equal(second.headers.range, '0-64999');
    const done = await rawRequest(server.url, { method: 'PUT', path: `${location}?digest=${digest}`, headers: { authorization: auth } });
    assert.equal(done.status, 201, done.body);
    const got = await rawRequest(server.url, { method: 'GET', path: `/v2/team/app/blobs/${digest}`, headers: { authorization: auth } });
    assert.equal(got.body, bytes.toString());
    assert.equal((await rawRequest(server.url, { method: 'GET', path: location, headers: { authorization: auth } })).status, 404, 'a finished upload is gone');
    // The other upload, abandoned for longer than the registry keeps uploads, is gone after the next
    // start; so is a file no upload names.
    const otherId = other.split('/').pop()!;
    const uploadsDir = path.join(server.dataDir, 'ecr-uploads');
    await server.restart(() => {
      const db = new SqliteDatabase(path.join(server.dataDir, 'lambkin.db'));
      db.prepare('UPDATE ecr_uploads SET started_at = started_at - ? WHERE id = ?').run(8 * 24 * 3600 * 1000, otherId);
      db.close();
      writeFileSync(path.join(uploadsDir, 'stray'), 'left by a crash');
    });
    assert.equal((await rawRequest(server.url, { method: 'GET', path: other, headers: { authorization: auth } })).status, 404);
    assert.deepEqual(readdirSync(uploadsDir), []);
  });

  test('images survive a restart', async () => {
    await ecrCall(server.url, 'CreateRepository', { repositoryName: 'durable' });
    const image = buildImage({ layers: [tarArchive([{ name: 'f', body: 'kept' }])] });
    assert.equal((await pushImage(server.url, auth, 'durable', 'v1', image)).status, 201);
    await server.restart();
    const got = await rawRequest(server.url, { method: 'GET', path: '/v2/durable/manifests/v1', headers: { authorization: auth } });
    assert.equal(got.status, 200);
    const layer = await rawRequest(server.url, { method: 'GET', path: `/v2/durable/blobs/${image.layers[0]!.digest}`, headers: { authorization: auth } });
    assert.equal(layer.status, 200);
  });
});
