import type { ContainerImages, ResolvedImage } from '../../contracts/container-images.js';
import { lambdaError } from './errors.js';
import { encodeImageCode, type ImageCode } from './image-code.js';
import type { Scope } from './model.js';

/** The platform's architecture names (OCI `amd64`/`arm64`) for Lambda's (`x86_64`/`arm64`). */
const IMAGE_ARCHITECTURE: Record<string, string> = { x86_64: 'amd64', arm64: 'arm64' };

const notValid = (uri: string) => lambdaError('InvalidParameterValueException', `Source image ${uri} is not valid. Provide a valid source image.`);
const doesNotExist = (uri: string) => lambdaError('InvalidParameterValueException', `Source image ${uri} does not exist. Provide a valid source image.`);

/**
 * An ImageUri resolved as CreateFunction and UpdateFunctionCode resolve it: in the caller's
 * registry of the function's region, a tag to the digest it names now, a multi-platform index to
 * the function architecture's image; the stored code reference and what the API reports.
 */
export async function resolveImageCode(
  images: ContainerImages | undefined,
  scope: Scope,
  imageUri: string,
  architecture: string,
): Promise<{ stored: string; codeSha256: string; resolvedImageUri: string }> {
  if (!images) throw notValid(imageUri);
  const found = await images.resolve(imageUri, { ...scope, architecture });
  if ('failure' in found) {
    switch (found.failure) {
      case 'image-not-found':
      case 'repository-not-found':
        throw doesNotExist(imageUri);
      case 'no-matching-platform':
        throw lambdaError('InvalidParameterValueException', `The image manifest, config or layer media type for the source image ${imageUri} is not supported.`);
      default:
        throw notValid(imageUri);
    }
  }
  checkArchitecture(found, imageUri, architecture);
  // The 10 GiB limit is checked while the function is Pending (image-size-check.ts), as on AWS.
  const code: ImageCode = {
    imageUri,
    resolvedImageUri: found.resolvedUri,
    accountId: found.accountId,
    region: found.region,
    repository: found.repository,
    digest: found.digest,
    architecture: found.architecture,
    layers: found.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType })),
    entrypoint: found.config.entrypoint,
    cmd: found.config.cmd,
    workingDir: found.config.workingDir,
    env: found.config.env,
  };
  return { stored: encodeImageCode(code), codeSha256: found.digest.replace(/^sha256:/, ''), resolvedImageUri: found.resolvedUri };
}

function checkArchitecture(image: ResolvedImage, uri: string, architecture: string): void {
  const wanted = IMAGE_ARCHITECTURE[architecture] ?? architecture;
  if (image.os !== 'linux' || image.architecture !== wanted) {
    throw lambdaError(
      'InvalidParameterValueException',
      `The image ${uri} is built for ${image.os}/${image.architecture}, which does not match the function's architecture ${architecture} (linux/${wanted}).`,
    );
  }
}
