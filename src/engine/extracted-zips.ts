import { randomUUID } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import AdmZip from 'adm-zip';

/**
 * Zips extracted, in order, into one read-only directory `<root>/<key>/`, once per key and shared
 * by every environment that needs it: a function's code (`/var/task`) or its merged layers (`/opt`).
 */
export class ExtractedZips {
  private readonly extracting = new Map<string, Promise<string>>();

  constructor(private readonly root: string, private readonly blobPath: (hex: string) => string) {}

  directoryFor(key: string, blobHexes: string[]): Promise<string> {
    let pending = this.extracting.get(key);
    if (!pending) {
      pending = this.extract(key, blobHexes);
      this.extracting.set(key, pending);
      pending.catch(() => this.extracting.delete(key));
    }
    return pending;
  }

  private async extract(key: string, blobHexes: string[]): Promise<string> {
    const target = path.join(this.root, key);
    if (await isDirectory(target)) return target;
    await mkdir(this.root, { recursive: true, mode: 0o755 });
    // Extract beside, then rename: a crash never leaves a half-extracted tree under its final name.
    const staging = path.join(this.root, `.${key}.${randomUUID()}`);
    try {
      await mkdir(staging, { mode: 0o755 });
      for (const hex of blobHexes) {
        const zip = new AdmZip(await readFile(this.blobPath(hex)));
        await new Promise<void>((resolve, reject) => {
          zip.extractAllToAsync(staging, true, true, (err?: Error) => (err ? reject(err) : resolve()));
        });
      }
      await makeReadOnly(staging);
      try {
        await rename(staging, target);
      } catch (err) {
        // Another process extracted the same key first; theirs is identical.
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
