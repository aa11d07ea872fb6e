import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileExists } from './file-exists.js';

/**
 * Where blobs live beside this node's files when nodes share no disk (the PostgreSQL store's
 * chunk table, postgres/postgres-blobs.ts). The node's directory is then a cache of it.
 */
export interface SharedBlobs {
  /** Stores the file's bytes as `hex` (or marks an already stored blob as just stored). */
  store(hex: string, file: string): Promise<void>;
  /** Writes the blob into `file`; false when it is not stored. */
  fetch(hex: string, file: string): Promise<boolean>;
  has(hex: string): Promise<boolean>;
  /** Removes blobs stored before `cutoff` that `referenced` does not name; how many went. */
  collect(cutoff: number, referenced: (hexes: readonly string[]) => Promise<ReadonlySet<string>>): Promise<number>;
}

const HEX = /^[0-9a-f]{64}$/;

/**
 * Content-addressed files: the key is the hex SHA-256 of the bytes, so equal uploads share one file.
 * With `shared` (a PostgreSQL store) every blob is also stored there before `put`/`adopt`
 * resolve, and a blob another node stored is fetched on first use (`localPath`).
 *
 * Garbage collection (`collect`) removes blobs nothing references, but only those stored longer
 * than a grace period ago: a writer stores a blob before it commits the row that references it.
 * Storing a blob that exists already refreshes its time (the file's mtime, the row's stored_at);
 * collection re-checks that time after moving a file aside, and a refresh that finds the file
 * gone writes it again, so a blob being stored is never collected from under its writer.
 */
export class BlobStore {
  constructor(
    private readonly root: string,
    private readonly shared?: SharedBlobs,
  ) {}

  static sha256Hex(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /** Where the blob's file is on this node (present once `put`, `adopt` or `localPath` has run). */
  pathOf(hex: string): string {
    return path.join(this.root, hex.slice(0, 2), hex);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const hex = BlobStore.sha256Hex(bytes);
    const target = this.pathOf(hex);
    if (!(await refresh(target))) {
      await mkdir(path.dirname(target), { recursive: true });
      // Write then rename so a crash never leaves a partial blob under its final name.
      const temp = `${target}.${randomUUID()}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, target);
    }
    await this.shared?.store(hex, target);
    return hex;
  }

  /**
   * Moves a file the caller wrote and hashed (a streamed upload) under its hash; when that blob is
   * already stored the file is dropped.
   */
  async adopt(file: string, hex: string): Promise<void> {
    const target = this.pathOf(hex);
    if (await refresh(target)) {
      await rm(file, { force: true });
    } else {
      await mkdir(path.dirname(target), { recursive: true });
      await rename(file, target);
    }
    await this.shared?.store(hex, target);
  }

  async get(hex: string): Promise<Buffer> {
    return readFile(await this.localPath(hex));
  }

  async has(hex: string): Promise<boolean> {
    if (await fileExists(this.pathOf(hex))) return true;
    return this.shared ? this.shared.has(hex) : false;
  }

  /** The blob's file on this node, fetched from shared storage first when another node stored it. */
  async localPath(hex: string): Promise<string> {
    const target = this.pathOf(hex);
    if (!this.shared || (await fileExists(target))) return target;
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      if (await this.shared.fetch(hex, temp)) await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
    return target;
  }

  /**
   * Removes the blobs (files here, and rows of shared storage) stored before `cutoff` that
   * `referenced` does not name, and temporary files of writes that crashed. Answers how many
   * blobs went.
   */
  async collect(cutoff: number, referenced: (hexes: readonly string[]) => Promise<ReadonlySet<string>>): Promise<number> {
    let removed = await collectDirectory(this.root, cutoff, HEX, referenced);
    if (this.shared) removed += await this.shared.collect(cutoff, referenced);
    return removed;
  }
}

/**
 * Removes the files under `root/<aa>/` whose names match `names`, written before `cutoff` and not
 * named by `referenced`, and temporary files of writes that crashed; answers how many files went.
 * A file is moved aside before its time is checked again, so a writer refreshing it meanwhile
 * (storing the same name again touches it) keeps it.
 */
export async function collectDirectory(root: string, cutoff: number, names: RegExp, referenced: (names: readonly string[]) => Promise<ReadonlySet<string>>): Promise<number> {
  let removed = 0;
  const candidates: { name: string; file: string }[] = [];
  for (const dir of await listDir(root)) {
    for (const name of await listDir(path.join(root, dir))) {
      const file = path.join(root, dir, name);
      const mtime = await mtimeOf(file);
      if (mtime === null || mtime >= cutoff) continue;
      if (names.test(name)) candidates.push({ name, file });
      else if (name.endsWith('.tmp') || name.endsWith('.gc')) await rm(file, { force: true });
    }
  }
  const kept = candidates.length > 0 ? await referenced(candidates.map((c) => c.name)) : new Set<string>();
  for (const { name, file } of candidates) {
    if (kept.has(name)) continue;
    const aside = `${file}.${randomUUID()}.gc`;
    try {
      await rename(file, aside);
    } catch {
      continue;
    }
    // A writer refreshed it between the look above and the move: it stays.
    if (((await mtimeOf(aside)) ?? 0) >= cutoff) await rename(aside, file);
    else {
      await rm(aside, { force: true });
      removed++;
    }
  }
  return removed;
}

/** Marks an existing blob file as just stored (for collection); false when there is none. */
async function refresh(file: string): Promise<boolean> {
  const now = new Date();
  try {
    await utimes(file, now, now);
    return true;
  } catch {
    return false;
  }
}


async function mtimeOf(file: string): Promise<number | null> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** The SHA-256 (hex) of a file, read as a stream. */
export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
