import type { ContainerImages, ImageCaller, ImageLookupFailure, ImageRef, ResolvedImage } from '../../contracts/container-images.js';
import type { BlobStore } from '../../store/blobs.js';
import type { Store } from '../../store/database.js';
import { resolveReference } from './image-store.js';
import { parseManifest, type ParsedManifest } from './manifests.js';
import { isDigest, isRepositoryName, isTag, type RepositoryKey } from './names.js';
import { findManifest, type ManifestRow } from './tables/images.js';
import { findRepository } from './tables/repositories.js';

export type ImageReader = ContainerImages;

/** `<account>.dkr.ecr.<region>.localhost[:port]` or `.amazonaws.com`; anything else is path-style, the caller's own registry. */
const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.(?:localhost|amazonaws\.com)(?::\d+)?$/;
const PLATFORM_ARCHITECTURE: Record<string, string> = { x86_64: 'amd64', arm64: 'arm64' };

/** Lambda's view of the registry: image URIs resolved to digests, and what an image runs. */
export function createImageReader(deps: { db: Store; blobs: BlobStore }): ImageReader {
  const { db, blobs } = deps;

  async function describe(key: RepositoryKey, row: ManifestRow, host: string, tag: string | undefined, architecture: string): Promise<ResolvedImage | ImageLookupFailure> {
    let manifest: ParsedManifest = parseManifest(row.body, row.media_type);
    if (manifest.kind === 'index') {
      const wanted = PLATFORM_ARCHITECTURE[architecture] ?? architecture;
      const entry = manifest.manifests.find((m) => (m.platform?.os ?? 'linux') === 'linux' && m.platform?.architecture === wanted);
      const child = entry ? await findManifest(db, key, entry.digest) : undefined;
      if (!child) return { failure: 'no-matching-platform', repository: key.name, reference: tag ?? row.digest };
      manifest = parseManifest(child.body, child.media_type);
      if (manifest.kind !== 'image') return { failure: 'unsupported-image', reason: 'an image index nested in an image index' };
    }
    if (manifest.kind !== 'image') return { failure: 'unsupported-image', reason: 'not an image' };
    const config = JSON.parse((await blobs.get(manifest.config.digest.slice(7))).toString('utf8')) as ImageConfigDocument;
    const c = config.config ?? {};
    return {
      accountId: key.accountId,
      region: key.region,
      repository: key.name,
      // The function keeps the digest the URI named (an index's, for a multi-platform image).
      digest: row.digest,
      resolvedUri: `${host}/${key.name}@${row.digest}`,
      ...(tag !== undefined ? { tag } : {}),
      architecture: config.architecture ?? 'amd64',
      os: config.os ?? 'linux',
      config: { entrypoint: c.Entrypoint ?? [], cmd: c.Cmd ?? [], workingDir: c.WorkingDir ?? '', env: c.Env ?? [], user: c.User ?? '' },
      layers: await Promise.all(manifest.layers.map(async (l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size, file: await blobs.localPath(l.digest.slice(7)) }))),
    };
  }

  return {
    async resolve(uri: string, caller: ImageCaller) {
      const parsed = parseImageUri(uri);
      if (!parsed) return { failure: 'malformed-uri' };
      const named = ECR_HOST.exec(parsed.host);
      const accountId = named ? named[1]! : caller.accountId;
      const region = named ? named[2]! : caller.region;
      if (accountId !== caller.accountId || region !== caller.region) return { failure: 'other-registry', accountId, region };
      const key = { accountId, region, name: parsed.repository };
      if (!(await findRepository(db, key))) return { failure: 'repository-not-found', repository: key.name };
      const row = await resolveReference(db, key, parsed.reference);
      if (!row) return { failure: 'image-not-found', repository: key.name, reference: parsed.reference };
      return describe(key, row, parsed.host, parsed.reference.startsWith('sha256:') ? undefined : parsed.reference, caller.architecture);
    },
    async exists(image: ImageRef) {
      return (await findManifest(db, { accountId: image.accountId, region: image.region, name: image.repository }, image.digest)) !== undefined;
    },
    async byDigest(image: ImageRef, architecture: string) {
      const key = { accountId: image.accountId, region: image.region, name: image.repository };
      const row = await findManifest(db, key, image.digest);
      if (!row) return null;
      const described = await describe(key, row, '', undefined, architecture);
      return 'failure' in described ? null : described;
    },
  };
}

interface ImageConfigDocument {
  architecture?: string;
  os?: string;
  config?: { Entrypoint?: string[]; Cmd?: string[]; WorkingDir?: string; Env?: string[]; User?: string };
}

/** `host[:port]/repository(:tag|@sha256:…)`; a URI without tag or digest means `latest`. */
export function parseImageUri(uri: string): { host: string; repository: string; reference: string } | null {
  const slash = uri.indexOf('/');
  if (slash <= 0) return null;
  const host = uri.slice(0, slash);
  let rest = uri.slice(slash + 1);
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(reference)) return null;
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!isTag(reference)) return null;
    }
  }
  return isRepositoryName(rest) ? { host, repository: rest, reference } : null;
}
