import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Store } from '../../store/database.js';
import { MAX_MANIFEST_BYTES } from './limits.js';
import { imageSizeOf, ManifestInvalid, parseManifest, type ParsedManifest } from './manifests.js';
import type { RepositoryKey } from './names.js';
import { findBlob, findManifest, findTag, insertManifest, setTag, type ManifestRow } from './tables/images.js';
import type { RepositoryRow } from './tables/repositories.js';

export type RejectionReason = 'invalid' | 'blob-unknown' | 'manifest-unknown' | 'digest-mismatch' | 'tag-immutable' | 'image-exists';

/** Why a manifest was refused; the registry API and PutImage each say it in their own words. */
export class ImageRejected extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
    readonly digests: string[] = [],
  ) {
    super(message);
  }
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Stores a pushed manifest under its digest and, when given, points a tag at it: the bytes must
 * parse as a manifest kind the registry knows, every blob (or, for an index, every manifest) it
 * references must already be in the repository, and an immutable repository's tag never moves.
 */
export async function storeManifest(
  db: Store,
  clock: Clock,
  repository: RepositoryRow,
  push: { bytes: Buffer; contentType?: string; tag?: string; digest?: string; refuseUnchanged?: boolean },
): Promise<{ digest: string; manifest: ParsedManifest }> {
  const key: RepositoryKey = { accountId: repository.account_id, region: repository.region, name: repository.name };
  if (push.bytes.length > MAX_MANIFEST_BYTES) throw new ImageRejected('invalid', `manifest is larger than ${MAX_MANIFEST_BYTES} bytes`);
  let manifest: ParsedManifest;
  try {
    manifest = parseManifest(push.bytes, push.contentType);
  } catch (err) {
    if (err instanceof ManifestInvalid) throw new ImageRejected('invalid', err.message);
    throw err;
  }
  const digest = sha256Digest(push.bytes);
  if (push.digest !== undefined && push.digest !== digest) throw new ImageRejected('digest-mismatch', `manifest digest ${digest} does not match ${push.digest}`, [push.digest, digest]);
  if (manifest.kind === 'image') {
    const missing: string[] = [];
    for (const blob of [manifest.config, ...manifest.layers]) if (!(await findBlob(db, key, blob.digest))) missing.push(blob.digest);
    if (missing.length > 0) throw new ImageRejected('blob-unknown', `blob unknown to registry: ${missing.join(', ')}`, missing);
  } else {
    const missing: string[] = [];
    for (const child of manifest.manifests) if (!(await findManifest(db, key, child.digest))) missing.push(child.digest);
    if (missing.length > 0) throw new ImageRejected('manifest-unknown', `manifest unknown: ${missing.join(', ')}`, missing);
  }
  await db.transaction().execute(async (trx) => {
    const tagged = push.tag !== undefined ? await findTag(trx, key, push.tag) : undefined;
    const existing = await findManifest(trx, key, digest);
    if (push.refuseUnchanged && existing && (push.tag === undefined || tagged === digest)) {
      throw new ImageRejected('image-exists', 'image already exists', [digest]);
    }
    if (push.tag !== undefined && tagged !== undefined && tagged !== digest && repository.tag_mutability === 'IMMUTABLE') {
      throw new ImageRejected('tag-immutable', `tag ${push.tag} is immutable`);
    }
    if (!existing) {
      const row: ManifestRow = {
        account_id: key.accountId,
        region: key.region,
        repository: key.name,
        digest,
        media_type: manifest.mediaType,
        body: push.bytes,
        image_size: imageSizeOf(manifest),
        pushed_at: clock.now(),
        last_pulled_at: null,
      };
      await insertManifest(trx, row);
    }
    if (push.tag !== undefined) await setTag(trx, key, push.tag, digest);
  });
  return { digest, manifest };
}

/** The manifest a tag or digest names in a repository. */
export async function resolveReference(db: Store, key: RepositoryKey, reference: string): Promise<ManifestRow | undefined> {
  const digest = reference.startsWith('sha256:') ? reference : await findTag(db, key, reference);
  return digest ? findManifest(db, key, digest) : undefined;
}
