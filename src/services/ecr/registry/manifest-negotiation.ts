import { convertImageManifest } from '../manifest-conversion.js';
import { MEDIA_TYPES } from '../manifests.js';
import { sha256Digest } from '../image-store.js';
import { registryError } from './errors.js';

/** What a manifest GET or HEAD answers: the bytes, their media type and digest. */
export interface ServedManifest {
  mediaType: string;
  body: Buffer;
  digest: string;
}

const OCI_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.ociIndex]);

/**
 * Serves a stored manifest to a client by its `Accept` header. The stored format when the client
 * accepts it (or states no manifest preference: no header, or any type); by tag, ECR's conversion
 * between Docker schema 2 and OCI image manifests otherwise. With neither, Docker formats are
 * sent as stored, as the reference registry (distribution) sends them, and OCI ones are refused
 * with its `MANIFEST_UNKNOWN` texts: the client could not read them.
 */
export function negotiateManifest(stored: ServedManifest, accept: string | string[] | undefined, byTag: boolean): ServedManifest {
  const accepted = acceptedTypes(accept);
  if (accepted === null || accepted.has(stored.mediaType)) return stored;
  if (byTag) {
    for (const target of [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]) {
      if (!accepted.has(target)) continue;
      const body = convertImageManifest(stored.body, stored.mediaType, target);
      if (body) return { mediaType: target, body, digest: sha256Digest(body) };
    }
  }
  if (!OCI_TYPES.has(stored.mediaType)) return stored;
  const what = stored.mediaType === MEDIA_TYPES.ociIndex ? 'OCI index found, but accept header does not support OCI indexes' : 'OCI manifest found, but accept header does not support OCI manifests';
  throw registryError('MANIFEST_UNKNOWN', what);
}

/** The media types an `Accept` header lists (parameters such as `q` ignored); null for "anything". */
function acceptedTypes(accept: string | string[] | undefined): Set<string> | null {
  if (accept === undefined) return null;
  const types = new Set<string>();
  for (const header of Array.isArray(accept) ? accept : [accept]) {
    for (const item of header.split(',')) {
      const type = item.split(';')[0]!.trim().toLowerCase();
      if (type === '*/*' || type === 'application/*') return null;
      if (type) types.add(type);
    }
  }
  return types.size === 0 ? null : types;
}
