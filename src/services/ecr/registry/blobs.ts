import { createReadStream } from 'node:fs';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { isDigest } from '../names.js';
import { findBlob } from '../tables/images.js';
import type { RegistryDeps, RepositoryRequest } from './deps.js';
import { API_VERSION_HEADER, registryErrors } from './errors.js';

/** GET and HEAD of a blob by digest; ECR hands out a redirect to S3 here, Lambkin the bytes. */
export async function getBlob(deps: RegistryDeps, request: RepositoryRequest, digest: string): Promise<ServiceResponse> {
  if (!isDigest(digest)) throw registryErrors.digestInvalid(`invalid digest ${digest}`);
  const blob = await findBlob(deps.db, request.key, digest);
  if (!blob || !(await deps.blobs.has(digest.slice(7)))) throw registryErrors.blobUnknown(digest);
  const headers = {
    ...API_VERSION_HEADER,
    'content-type': 'application/octet-stream',
    'content-length': String(blob.size),
    'Docker-Content-Digest': digest,
  };
  if (request.ctx.method === 'HEAD') return { status: 200, headers, body: '' };
  return { status: 200, headers, stream: createReadStream(await deps.blobs.localPath(digest.slice(7))) };
}
