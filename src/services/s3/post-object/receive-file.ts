import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createChecksum, type ChecksumAlgorithm } from '../checksums.js';
import { errors } from '../errors.js';
import type { ObjectFiles } from '../object-files.js';

export interface ReceivedFile {
  tempPath: string;
  size: number;
  md5Hex: string;
  checksum: { algorithm: ChecksumAlgorithm; value: string };
}

export interface FileLimits {
  minBytes: number;
  maxBytes: number;
}

/**
 * Streams the form's file into a temp file, hashing as it goes. Past `maxBytes` nothing more is
 * written but the rest is still counted, so the error names the size the client proposed.
 */
export async function receiveFile(files: ObjectFiles, source: Readable, limits: FileLimits, algorithm: ChecksumAlgorithm): Promise<ReceivedFile> {
  const { tempPath, stream } = await files.createTemp();
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  const md5 = createHash('md5');
  const checksum = createChecksum(algorithm);
  let size = 0;
  try {
    for await (const piece of source as AsyncIterable<Buffer>) {
      size += piece.length;
      if (size > limits.maxBytes) continue;
      md5.update(piece);
      checksum.update(piece);
      if (!stream.write(piece)) await Promise.race([once(stream, 'drain'), failed]);
    }
    if (size > limits.maxBytes) throw errors.entityTooLarge(size, limits.maxBytes);
    if (size < limits.minBytes) throw errors.postEntityTooSmall(size, limits.minBytes);
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    return { tempPath, size, md5Hex: md5.digest('hex'), checksum: { algorithm, value: checksum.digest().toString('base64') } };
  } catch (err) {
    stream.destroy();
    await files.discardTemp(tempPath);
    throw err;
  }
}
