import { createHash } from 'node:crypto';
import { decodeFolderCode } from '../../contracts/folder-code.js';
import { ExtractedZips } from '../extracted-zips.js';
import type { LayerCodeLookup } from './layer-lookup.js';

/**
 * A function's layers extracted in order into one merged, read-only directory (its `/opt`), shared
 * by every function with the same layer list: `<dataDir>/layers/<sha256 of the code hashes>/`.
 * A later layer's files replace an earlier layer's, as on AWS. A layer whose content is a host
 * folder (hot reload) is that folder itself, mounted as it is and never copied, so it must be the
 * function's only layer: merging would copy it.
 */
export class LayerSets {
  private readonly zips: ExtractedZips;

  constructor(
    root: string,
    blobPath: (hex: string) => Promise<string>,
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
      const folder = decodeFolderCode(hex);
      if (folder) {
        if (arns.length > 1) throw new Error(`layer version ${arn} is a folder on the host, which can only be a function's only layer`);
        return folder;
      }
      hexes.push(hex);
    }
    return this.zips.directoryFor(createHash('sha256').update(hexes.join('\n')).digest('hex'), hexes);
  }
}
