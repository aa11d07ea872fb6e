import type { ContainerImages } from '../../contracts/container-images.js';
import { uncompressedLayerBytes } from '../../engine/images/uncompressed-size.js';
import { MAX_IMAGE_UNCOMPRESSED_BYTES } from '../../engine/limits.js';
import type { ImageCode } from './image-code.js';

/** Why an image cannot run, as AWS reports it on the function: `StateReasonCode` and `StateReason`. */
export interface ImageFailure {
  code: 'InvalidImage';
  reason: string;
}

/**
 * AWS checks an image's size while it prepares it (the function is Pending, or its update
 * InProgress), not in CreateFunction: an image over 10 GiB uncompressed turns the function Failed
 * with `InvalidImage` and this reason (as CloudFormation quotes it: "reached terminal FAILED state
 * due to InvalidImage(SizeLimitExceeded: Uncompressed container image size exceeds 10 GiB limit)").
 */
const SIZE_LIMIT_EXCEEDED = 'SizeLimitExceeded: Uncompressed container image size exceeds 10 GiB limit';

/**
 * Measures each image once per digest: first the layer sizes its manifest declares (compressed,
 * so a sum over the limit settles it without reading a byte), then the layers decompressed.
 */
export class ImageSizeCheck {
  private readonly verdicts = new Map<string, Promise<ImageFailure | null>>();

  constructor(
    private readonly images: ContainerImages,
    private readonly limitBytes: number = MAX_IMAGE_UNCOMPRESSED_BYTES,
  ) {}

  failureOf(code: ImageCode): Promise<ImageFailure | null> {
    let verdict = this.verdicts.get(code.digest);
    if (!verdict) {
      verdict = this.measure(code);
      this.verdicts.set(code.digest, verdict);
      verdict.catch(() => this.verdicts.delete(code.digest));
    }
    return verdict;
  }

  private async measure(code: ImageCode): Promise<ImageFailure | null> {
    const image = await this.images.byDigest(code, code.architecture === 'arm64' ? 'arm64' : 'x86_64');
    // An image gone from the registry is the invoke path's ImageDeleted, not a size question.
    if (!image) return null;
    const declared = image.layers.reduce((sum, layer) => sum + layer.size, 0);
    if (declared > this.limitBytes) return { code: 'InvalidImage', reason: SIZE_LIMIT_EXCEEDED };
    const bytes = await uncompressedLayerBytes(image.layers.map((layer) => layer.file), this.limitBytes);
    return bytes > this.limitBytes ? { code: 'InvalidImage', reason: SIZE_LIMIT_EXCEEDED } : null;
  }
}
