import type { ServiceResponse } from '../../../contracts/request-context.js';
import { AwsError } from '../../../contracts/aws-error.js';
import { isDigest, isRepositoryName, repositoryArn, type RepositoryKey } from '../names.js';
import { findBlob, linkBlob } from '../tables/images.js';
import type { RegistryDeps, RepositoryRequest } from './deps.js';
import { API_VERSION_HEADER, registryErrors } from './errors.js';
import { UploadBusy } from './uploads.js';

/**
 * POST /v2/<name>/blobs/uploads/: starts an upload; with `?digest=` the body is the whole blob
 * (monolithic); with `?mount=<digest>&from=<repository>` a blob the caller's other repository
 * holds is linked without a copy (an upload is started instead when it holds none).
 */
export async function startUpload(deps: RegistryDeps, request: RepositoryRequest): Promise<ServiceResponse> {
  const { ctx, key } = request;
  const mount = ctx.query.get('mount');
  const from = ctx.query.get('from');
  if (mount && from && isDigest(mount) && isRepositoryName(from) && mayRead(request, { ...key, name: from })) {
    const source = await findBlob(deps.db, { ...key, name: from }, mount);
    if (source && (await deps.blobs.has(mount.slice(7)))) {
      await linkBlob(deps.db, key, mount, source.size);
      return created(key.name, mount);
    }
  }
  const id = await deps.uploads.start(key);
  const digest = ctx.query.get('digest');
  if (digest !== null) return complete(deps, request, id, digest);
  return {
    status: 202,
    headers: { ...API_VERSION_HEADER, Location: uploadPath(key.name, id), Range: '0-0', 'Docker-Upload-UUID': id, 'content-length': '0' },
    body: '',
  };
}

/** A mount reads the source repository's layer: without that right, a plain upload starts instead. */
function mayRead(request: RepositoryRequest, source: RepositoryKey): boolean {
  try {
    request.authorize?.('ecr:GetDownloadUrlForLayer', repositoryArn(source));
    return true;
  } catch (err) {
    if (err instanceof AwsError) return false;
    throw err;
  }
}

/** PATCH: one chunk, which must start where the upload stands (`Content-Range`, when sent). */
export async function appendUpload(deps: RegistryDeps, request: RepositoryRequest, id: string): Promise<ServiceResponse> {
  const upload = await deps.uploads.find(request.key, id);
  if (!upload) throw registryErrors.uploadUnknown();
  const range = request.ctx.headers['content-range'];
  if (typeof range === 'string') {
    const start = Number(/^(?:bytes )?(\d+)-\d+/.exec(range)?.[1] ?? NaN);
    if (start !== upload.size) throw registryErrors.uploadRange(upload.size);
  }
  const size = await append(deps, request, id);
  return progress(request.key.name, id, size, 202);
}

/** GET: where the upload stands. */
export async function uploadStatus(deps: RegistryDeps, request: RepositoryRequest, id: string): Promise<ServiceResponse> {
  const upload = await deps.uploads.find(request.key, id);
  if (!upload) throw registryErrors.uploadUnknown();
  return progress(request.key.name, id, upload.size, 204);
}

/** PUT ?digest=: the last chunk (if any) and the end of the upload. */
export async function completeUpload(deps: RegistryDeps, request: RepositoryRequest, id: string): Promise<ServiceResponse> {
  if (!(await deps.uploads.find(request.key, id))) throw registryErrors.uploadUnknown();
  const digest = request.ctx.query.get('digest');
  if (digest === null) throw registryErrors.digestInvalid('digest parameter is missing');
  return complete(deps, request, id, digest);
}

export async function cancelUpload(deps: RegistryDeps, request: RepositoryRequest, id: string): Promise<ServiceResponse> {
  if (!(await deps.uploads.find(request.key, id))) throw registryErrors.uploadUnknown();
  await deps.uploads.cancel(id);
  return { status: 204, headers: { ...API_VERSION_HEADER }, body: '' };
}

async function complete(deps: RegistryDeps, request: RepositoryRequest, id: string, digest: string): Promise<ServiceResponse> {
  if (!isDigest(digest)) {
    await deps.uploads.cancel(id);
    throw registryErrors.digestInvalid(`invalid digest ${digest}: only sha256 digests are supported`);
  }
  await append(deps, request, id);
  const size = await deps.uploads.finish(id, digest);
  if (size === null) throw registryErrors.digestInvalid(`provided digest did not match uploaded content`);
  await linkBlob(deps.db, request.key, digest, size);
  return created(request.key.name, digest);
}

async function append(deps: RegistryDeps, request: RepositoryRequest, id: string): Promise<number> {
  const body = request.ctx.bodyStream;
  if (!body) return (await deps.uploads.find(request.key, id))?.size ?? 0;
  try {
    return await deps.uploads.append(id, body);
  } catch (err) {
    if (err instanceof UploadBusy) throw registryErrors.uploadRange((await deps.uploads.find(request.key, id))?.size ?? 0);
    throw err;
  }
}

function created(name: string, digest: string): ServiceResponse {
  return {
    status: 201,
    headers: { ...API_VERSION_HEADER, Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest, 'content-length': '0' },
    body: '',
  };
}

function progress(name: string, id: string, size: number, status: number): ServiceResponse {
  return {
    status,
    headers: { ...API_VERSION_HEADER, Location: uploadPath(name, id), Range: `0-${Math.max(0, size - 1)}`, 'Docker-Upload-UUID': id, 'content-length': '0' },
    body: '',
  };
}

function uploadPath(name: string, id: string): string {
  return `/v2/${name}/blobs/uploads/${id}`;
}
