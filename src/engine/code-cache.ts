import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import AdmZip from 'adm-zip';

/**
 * Deployment packages extracted once per code hash under `<dataDir>/code/<hex>/` and shared by every
 * environment running that code. Files are made read-only (the function's `/var/task`).
 */
export class CodeCache {
  private readonly extracting = new Map<string, Promise<string>>();

  constructor(private readonly root: string, private readonly blobPath: (hex: string) => string) {}

  directoryFor(hex: string): Promise<string> {
    let pending = this.extracting.get(hex);
    if (!pending) {
      pending = this.extract(hex);
      this.extracting.set(hex, pending);
      pending.catch(() => this.extracting.delete(hex));
    }
    return pending;
  }

  private async extract(hex: string): Promise<string> {
    const target = path.join(this.root, hex);
    if (await isDirectory(target)) return target;
    await mkdir(this.root, { recursive: true, mode: 0o755 });
    // Extract beside, then rename: a crash never leaves a half-extracted package under its final name.
    const staging = path.join(this.root, `.${hex}.${randomUUID()}`);
    try {
      const zip = new AdmZip(await readFile(this.blobPath(hex)));
      await new Promise<void>((resolve, reject) => {
        zip.extractAllToAsync(staging, true, false, (err?: Error) => (err ? reject(err) : resolve()));
      });
      const dirs = new Set<string>([staging]);
      for (const entry of zip.getEntries()) {
        const full = path.join(staging, entry.entryName);
        if (!full.startsWith(staging + path.sep)) continue;
        if (entry.isDirectory) {
          dirs.add(full);
          continue;
        }
        for (let d = path.dirname(full); d.startsWith(staging); d = path.dirname(d)) dirs.add(d);
        const unixMode = (entry.header.attr >>> 16) & 0o777;
        await chmod(full, unixMode & 0o111 ? 0o555 : 0o444);
      }
      for (const dir of dirs) await chmod(dir, 0o555).catch(() => undefined);
      try {
        await rename(staging, target);
      } catch (err) {
        // Another process extracted the same code first; theirs is identical.
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

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
