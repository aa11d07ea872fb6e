import type { Readable } from 'node:stream';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { ImageRejected, resolveReference, storeManifest } from '../image-store.js';
import { MAX_MANIFEST_BYTES } from '../limits.js';
import { isDigest, isTag } from '../names.js';
import { deleteManifest, deleteTag, findTag, markPulled } from '../tables/images.js';
import type { RegistryDeps, RepositoryRequest } from './deps.js';
import { API_VERSION_HEADER, registryErrors } from './errors.js';
import { negotiateManifest } from './manifest-negotiation.js';

/** GET and HEAD of a manifest by tag or digest, with the media type it was pushed with. */
export async function getManifest(deps: RegistryDeps, request: RepositoryRequest, reference: string): Promise<ServiceResponse> {
  checkReference(reference);
  const row = await resolveReference(deps.db, request.key, reference);
  if (!row) throw registryErrors.manifestUnknown(reference);
  const served = negotiateManifest({ mediaType: row.media_type, body: row.body, digest: row.digest }, request.ctx.headers.accept, !isDigest(reference));
  const headers = {
    ...API_VERSION_HEADER,
    'content-type': served.mediaType,
    'content-length': String(served.body.length),
    'Docker-Content-Digest': served.digest,
  };
  if (request.ctx.method === 'HEAD') return { status: 200, headers, body: '' };
  await markPulled(deps.db, request.key, row.digest, deps.clock.now());
  return { status: 200, headers, body: served.body };
}

/** PUT: the manifest under its digest, and the tag when the reference is one. */
export async function putManifest(deps: RegistryDeps, request: RepositoryRequest, reference: string): Promise<ServiceResponse> {
  checkReference(reference);
  const bytes = await readManifestBody(request.ctx.bodyStream);
  const tag = isDigest(reference) ? undefined : reference;
  try {
    const contentType = request.ctx.headers['content-type'];
    const { digest } = await storeManifest(deps.db, deps.clock, request.repository, {
      bytes,
      ...(contentType ? { contentType } : {}),
      ...(tag !== undefined ? { tag } : { digest: reference }),
    });
    return {
      status: 201,
      headers: { ...API_VERSION_HEADER, Location: `/v2/${request.key.name}/manifests/${digest}`, 'Docker-Content-Digest': digest, 'content-length': '0' },
      body: '',
    };
  } catch (err) {
    if (!(err instanceof ImageRejected)) throw err;
    switch (err.reason) {
      case 'digest-mismatch':
        throw registryErrors.digestInvalid(err.message);
      case 'blob-unknown':
        throw registryErrors.manifestBlobUnknown(err.digests);
      case 'manifest-unknown':
        throw registryErrors.manifestUnknown(err.digests.join(', '));
      case 'tag-immutable':
        throw registryErrors.tagImmutable(tag ?? '', request.key.name);
      default:
        throw registryErrors.manifestInvalid(err.message);
    }
  }
}

/** DELETE by digest removes the image and its tags; by tag, only the tag. */
export async function removeManifest(deps: RegistryDeps, request: RepositoryRequest, reference: string): Promise<ServiceResponse> {
  checkReference(reference);
  if (isDigest(reference)) {
    const row = await resolveReference(deps.db, request.key, reference);
    if (!row) throw registryErrors.manifestUnknown(reference);
    await deleteManifest(deps.db, request.key, reference);
  } else {
    if (!(await findTag(deps.db, request.key, reference))) throw registryErrors.manifestUnknown(reference);
    await deleteTag(deps.db, request.key, reference);
  }
  return { status: 202, headers: { ...API_VERSION_HEADER, 'content-length': '0' }, body: '' };
}

function checkReference(reference: string): void {
  if (reference.startsWith('sha256:') ? !isDigest(reference) : !isTag(reference)) {
    if (reference.includes(':')) throw registryErrors.digestInvalid(`invalid digest ${reference}`);
    throw registryErrors.manifestInvalid(`invalid tag ${reference}`);
  }
}

async function readManifestBody(body: Readable | undefined): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_MANIFEST_BYTES) throw registryErrors.sizeInvalid(`manifest is larger than ${MAX_MANIFEST_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
