import { createHash } from 'node:crypto';
import { ExtractedZips } from '../extracted-zips.js';
import type { LayerCodeLookup } from './layer-lookup.js';

/**
 * A function's layers extracted in order into one merged, read-only directory (its `/opt`), shared
 * by every function with the same layer list: `<dataDir>/layers/<sha256 of the code hashes>/`.
 * A later layer's files replace an earlier layer's, as on AWS.
 */
export class LayerSets {
  private readonly zips: ExtractedZips;

  constructor(
    root: string,
    blobPath: (hex: string) => string,
    private readonly lookup: LayerCodeLookup,
  ) {
    this.zips = new ExtractedZips(root, blobPath);
  }

  /** The merged directory for these layer version ARNs, or null when there are none. */
  async directoryFor(arns: string[]): Promise<string | null> {
    if (arns.length === 0) return null;
    const hexes: string[] = [];
    for (const arn of arns) {
      const hex = await this.lookup(arn);
      if (!hex) throw new Error(`layer version ${arn} no longer exists`);
      hexes.push(hex);
    }
    return this.zips.directoryFor(createHash('sha256').update(hexes.join('\n')).digest('hex'), hexes);
  }
}
