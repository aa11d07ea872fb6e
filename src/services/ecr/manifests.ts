/**
 * The manifest kinds the registry stores: OCI image manifests and indexes, Docker's v2 schema 2
 * manifests and manifest lists. A manifest is checked for its shape and for what it references;
 * its digest is the SHA-256 of the bytes as pushed.
 */
export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const IMAGE_MANIFESTS = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);
const INDEXES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]);

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture?: string; os?: string; variant?: string };
}

export type ParsedManifest =
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] }
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] };

export class ManifestInvalid extends Error {}

export function isManifestMediaType(type: string): boolean {
  return IMAGE_MANIFESTS.has(type) || INDEXES.has(type);
}

/** Parses and checks a manifest; `contentType` is the type the client declared, if any. */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    doc = parsed as Record<string, unknown>;
  } catch {
    throw new ManifestInvalid('manifest is not valid JSON');
  }
  if (doc.schemaVersion !== 2) throw new ManifestInvalid(`unsupported schemaVersion ${String(doc.schemaVersion)}`);
  const declared = contentType?.split(';')[0]?.trim();
  const field = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  const usableDeclared = declared && isManifestMediaType(declared) ? declared : undefined;
  const mediaType = field ?? usableDeclared ?? (Array.isArray(doc.manifests) ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest);
  if (!isManifestMediaType(mediaType)) throw new ManifestInvalid(`unsupported manifest media type ${mediaType}`);
  if (field && usableDeclared && field !== usableDeclared) throw new ManifestInvalid(`mediaType ${field} does not match Content-Type ${usableDeclared}`);
  if (INDEXES.has(mediaType)) {
    if (!Array.isArray(doc.manifests)) throw new ManifestInvalid('an index needs a manifests list');
    return { kind: 'index', mediaType, manifests: doc.manifests.map((d, i) => descriptor(d, `manifests[${i}]`)) };
  }
  if (!Array.isArray(doc.layers)) throw new ManifestInvalid('an image manifest needs a layers list');
  return { kind: 'image', mediaType, config: descriptor(doc.config, 'config'), layers: doc.layers.map((d, i) => descriptor(d, `layers[${i}]`)) };
}

function descriptor(value: unknown, where: string): Descriptor {
  if (typeof value !== 'object' || value === null) throw new ManifestInvalid(`${where} is not a descriptor`);
  const d = value as Record<string, unknown>;
  if (typeof d.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(d.digest)) throw new ManifestInvalid(`${where} has no valid sha256 digest`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) throw new ManifestInvalid(`${where} has no valid size`);
  if (typeof d.mediaType !== 'string') throw new ManifestInvalid(`${where} has no mediaType`);
  const out: Descriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (typeof d.platform === 'object' && d.platform !== null) out.platform = d.platform as Descriptor['platform'];
  return out;
}

/** The image's size as ECR reports it: the compressed layers (and config). */
export function imageSizeOf(manifest: ParsedManifest): number {
  if (manifest.kind === 'index') return 0;
  return manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
}
