import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * A layer's tar bytes, decompressed as the file's first bytes say (gzip, zstd or none: the media
 * type is only a hint, and Docker's `tar.gzip` layers are named differently from OCI's). Node 20's
 * zlib has no zstd: the host's `zstd` decompresses those.
 */
export async function layerTarStream(file: string): Promise<Readable> {
  const head = Buffer.alloc(4);
  const handle = await open(file, 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return createReadStream(file).pipe(createGunzip());
  if (head.readUInt32LE(0) === 0xfd2fb528) {
    const zstd = spawn('zstd', ['-d', '-c', '-q', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    zstd.on('error', (err) => zstd.stdout.destroy(new Error(`zstd layers need the host's zstd (Debian package zstd): ${err.message}`)));
    zstd.on('exit', (code) => {
      if (code !== 0) zstd.stdout.destroy(new Error(`zstd could not decompress ${file} (exit ${code})`));
    });
    return zstd.stdout;
  }
  return createReadStream(file);
}
