import { createHash, randomUUID } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import AdmZip from 'adm-zip';
import type { LayerCodeLookup } from './layer-lookup.js';

/**
 * A function's layers extracted in order into one merged, read-only directory (its `/opt`), shared
 * by every function with the same layer list: `<dataDir>/layers/<sha256 of the code hashes>/`.
 * A later layer's files replace an earlier layer's, as on AWS.
 */
export class LayerSets {
  private readonly extracting = new Map<string, Promise<string>>();

  constructor(
    private readonly root: string,
    private readonly blobPath: (hex: string) => string,
    private readonly lookup: LayerCodeLookup,
  ) {}

  /** The merged directory for these layer version ARNs, or null when there are none. */
  async directoryFor(arns: string[]): Promise<string | null> {
    if (arns.length === 0) return null;
    const hexes: string[] = [];
    for (const arn of arns) {
      const hex = await this.lookup(arn);
      if (!hex) throw new Error(`layer version ${arn} no longer exists`);
      hexes.push(hex);
    }
    const key = createHash('sha256').update(hexes.join('\n')).digest('hex');
    let pending = this.extracting.get(key);
    if (!pending) {
      pending = this.extract(key, hexes);
      this.extracting.set(key, pending);
      pending.catch(() => this.extracting.delete(key));
    }
    return pending;
  }

  private async extract(key: string, hexes: string[]): Promise<string> {
    const target = path.join(this.root, key);
    if (await isDirectory(target)) return target;
    await mkdir(this.root, { recursive: true, mode: 0o755 });
    const staging = path.join(this.root, `.${key}.${randomUUID()}`);
    try {
      await mkdir(staging, { mode: 0o755 });
      for (const hex of hexes) {
        const zip = new AdmZip(await readFile(this.blobPath(hex)));
        await new Promise<void>((resolve, reject) => {
          zip.extractAllToAsync(staging, true, true, (err?: Error) => (err ? reject(err) : resolve()));
        });
      }
      await makeReadOnly(staging);
      try {
        await rename(staging, target);
      } catch (err) {
        if (!(await isDirectory(target))) throw err;
        await rm(staging, { recursive: true, force: true });
      }
      return target;
    } catch (err) {
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
  }
}

/** Directories r-x for everyone, files r-- (r-x when any execute bit was set in the zip). */
async function makeReadOnly(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeReadOnly(full);
    else if (entry.isFile()) {
      const mode = (await lstat(full)).mode;
      await chmod(full, mode & 0o111 ? 0o555 : 0o444);
    }
  }
  await chmod(dir, 0o555);
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
