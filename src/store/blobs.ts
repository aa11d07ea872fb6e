import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Content-addressed files: the key is the hex SHA-256 of the bytes, so equal uploads share one file. */
export class BlobStore {
  constructor(private readonly root: string) {}

  static sha256Hex(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  pathOf(hex: string): string {
    return path.join(this.root, hex.slice(0, 2), hex);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const hex = BlobStore.sha256Hex(bytes);
    const target = this.pathOf(hex);
    if (await exists(target)) return hex;
    await mkdir(path.dirname(target), { recursive: true });
    // Write then rename so a crash never leaves a partial blob under its final name.
    const temp = `${target}.${randomUUID()}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, target);
    return hex;
  }

  /**
   * Moves a file the caller wrote and hashed (a streamed upload) under its hash; when that blob is
   * already stored the file is dropped.
   */
  async adopt(file: string, hex: string): Promise<void> {
    const target = this.pathOf(hex);
    if (await exists(target)) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rename(file, target);
  }

  async get(hex: string): Promise<Buffer> {
    return readFile(this.pathOf(hex));
  }

  async has(hex: string): Promise<boolean> {
    return exists(this.pathOf(hex));
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
