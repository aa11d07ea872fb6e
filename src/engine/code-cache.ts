import { ExtractedZips } from './extracted-zips.js';

/**
 * Deployment packages extracted once per code hash under `<dataDir>/code/<hex>/` and shared by every
 * environment running that code. Files are read-only (the function's `/var/task`).
 */
export class CodeCache {
  private readonly zips: ExtractedZips;

  constructor(root: string, blobPath: (hex: string) => Promise<string>) {
    this.zips = new ExtractedZips(root, blobPath);
  }

  directoryFor(hex: string): Promise<string> {
    return this.zips.directoryFor(hex, [hex]);
  }
}
