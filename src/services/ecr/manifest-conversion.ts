import { MEDIA_TYPES } from './manifests.js';

/**
 * ECR's manifest conversion between Docker's v2 schema 2 image manifest and OCI's image manifest
 * (ECR user guide, "Container image manifest format support": pulled by tag by a client that does
 * not understand the stored format, schema 2 is served as OCI and OCI as schema 2). The layers and
 * config are the same blobs; only media types change. An OCI manifest with a layer Docker's format
 * cannot name (zstd) has no conversion.
 */
const DOCKER_TO_OCI: Record<string, string> = {
  'application/vnd.docker.container.image.v1+json': 'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
};
const OCI_TO_DOCKER: Record<string, string> = {
  ...Object.fromEntries(Object.entries(DOCKER_TO_OCI).map(([docker, oci]) => [oci, docker])),
  // Uncompressed OCI layers: Docker clients read them under the gzip name (they sniff the bytes).
  'application/vnd.oci.image.layer.v1.tar': 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};

interface ManifestDocument {
  schemaVersion: number;
  mediaType?: string;
  config: { mediaType: string; [field: string]: unknown };
  layers: Array<{ mediaType: string; [field: string]: unknown }>;
  [field: string]: unknown;
}

/** The stored image manifest in the `target` format; null when there is no conversion. */
export function convertImageManifest(body: Buffer, storedType: string, target: string): Buffer | null {
  const doc = JSON.parse(body.toString('utf8')) as ManifestDocument;
  if (storedType === MEDIA_TYPES.dockerManifest && target === MEDIA_TYPES.ociManifest) {
    return Buffer.from(JSON.stringify({ ...doc, mediaType: target, config: retyped(doc.config, DOCKER_TO_OCI), layers: doc.layers.map((l) => retyped(l, DOCKER_TO_OCI)) }));
  }
  if (storedType === MEDIA_TYPES.ociManifest && target === MEDIA_TYPES.dockerManifest) {
    const types = [doc.config, ...doc.layers].map((d) => d.mediaType);
    if (!types.every((type) => type in OCI_TO_DOCKER)) return null;
    // Docker's schema has no annotations, subject or artifactType.
    return Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: target,
      config: plainDescriptor(retyped(doc.config, OCI_TO_DOCKER)),
      layers: doc.layers.map((l) => plainDescriptor(retyped(l, OCI_TO_DOCKER))),
    }));
  }
  return null;
}

function retyped<T extends { mediaType: string }>(descriptor: T, types: Record<string, string>): T {
  return { ...descriptor, mediaType: types[descriptor.mediaType] ?? descriptor.mediaType };
}

function plainDescriptor(descriptor: Record<string, unknown>): Record<string, unknown> {
  const { mediaType, size, digest, urls } = descriptor;
  return { mediaType, size, digest, ...(urls !== undefined ? { urls } : {}) };
}
