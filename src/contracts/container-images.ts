/**
 * How Lambda reads container images from the registry (ECR offers it, server.ts hands it over):
 * an image URI resolved to one image's digest, its configuration and its layers.
 */
export interface ContainerImages {
  /** The image a URI names, for a function of this account, region and architecture. */
  resolve(uri: string, caller: ImageCaller): Promise<ResolvedImage | ImageLookupFailure>;
  /** The image a function was created from, by its resolved digest; null once it is gone. */
  byDigest(image: ImageRef, architecture: string): Promise<ResolvedImage | null>;
  /** Whether the image is still in its repository (a cheap check made per invoke). */
  exists(image: ImageRef): Promise<boolean>;
}

export interface ImageCaller {
  accountId: string;
  region: string;
  /** `x86_64` or `arm64`: picks an image index's manifest. */
  architecture: string;
}

/** An image in a repository, as `ResolvedImageUri` names it. */
export interface ImageRef {
  accountId: string;
  region: string;
  repository: string;
  digest: string;
}

export interface ResolvedImage extends ImageRef {
  /** `<registry host>/<repository>@<digest>`. */
  resolvedUri: string;
  /** The tag the URI named, if any. */
  tag?: string;
  /** The platform's architecture as the image config says it (`amd64`, `arm64`). */
  architecture: string;
  os: string;
  config: { entrypoint: string[]; cmd: string[]; workingDir: string; env: string[]; user: string };
  /** In order, bottom first: each layer's digest, media type, compressed size and file on disk. */
  layers: Array<{ digest: string; mediaType: string; size: number; file: string }>;
}

export type ImageLookupFailure =
  | { failure: 'malformed-uri' }
  | { failure: 'other-registry'; accountId: string; region: string }
  | { failure: 'repository-not-found'; repository: string }
  | { failure: 'image-not-found'; repository: string; reference: string }
  | { failure: 'no-matching-platform'; repository: string; reference: string }
  | { failure: 'unsupported-image'; reason: string };
