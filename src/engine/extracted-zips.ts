import { randomUUID } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { linkProblem, zipLinks, type ZipLink } from './zip-links.js';

/**
 * Zips extracted, in order, into one read-only directory `<root>/<key>/`, once per key and shared
 * by every environment that needs it: a function's code (`/var/task`) or its merged layers (`/opt`).
 */
export class ExtractedZips {
  private readonly extracting = new Map<string, Promise<string>>();

  constructor(private readonly root: string, private readonly blobPath: (hex: string) => Promise<string>) {}

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
      const links: ZipLink[] = [];
      for (const hex of blobHexes) {
        const zip = new AdmZip(await readFile(await this.blobPath(hex)));
        const own = zipLinks(zip);
        if (linkProblem(zip, own)) throw new Error(`unsafe symbolic links in ${hex}`);
        await new Promise<void>((resolve, reject) => {
          zip.extractAllToAsync(staging, true, true, (err?: Error) => (err ? reject(err) : resolve()));
        });
        // A later layer's entry at (or beneath) an earlier layer's link wins, as later layers overwrite.
        const names = zip.getEntries().map((e) => e.entryName.replace(/\/+$/, ''));
        for (let i = links.length - 1; i >= 0; i--) {
          const at = links[i]!.entryName;
          if (names.some((n) => n === at || n.startsWith(`${at}/`))) links.splice(i, 1);
        }
        links.push(...own);
      }
      // Links last, after every file of every zip is written: no write ever goes through a link.
      await makeLinks(staging, links);
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

/** adm-zip wrote each link entry as a file holding its target: each becomes the link. */
async function makeLinks(dir: string, links: ZipLink[]): Promise<void> {
  for (const link of links) {
    const at = path.join(dir, link.entryName);
    await rm(at, { force: true });
    await mkdir(path.dirname(at), { recursive: true, mode: 0o755 });
    await symlink(link.target, at);
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
