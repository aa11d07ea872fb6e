import { createHash, type Hash } from 'node:crypto';
import zlib from 'node:zlib';

/** The additional checksums S3 accepts (`x-amz-checksum-<algorithm>`), computed incrementally. */
export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'sha1' | 'sha256' | 'crc64nvme';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['crc32', 'crc32c', 'sha1', 'sha256', 'crc64nvme'];

export interface IncrementalChecksum {
  update(data: Buffer): void;
  /** The raw digest bytes (big-endian for CRCs), as S3 base64-encodes them. */
  digest(): Buffer;
}

/** Slicing-by-8 tables for a reflected CRC-32 polynomial: eight bytes per step. */
function crcTables(polynomial: number): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    tables[0]![n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[0]![n]!;
    for (let t = 1; t < 8; t++) {
      c = tables[0]![c & 0xff]! ^ (c >>> 8);
      tables[t]![n] = c >>> 0;
    }
  }
  return tables;
}

let crc32cTables: Uint32Array[] | undefined;

class Crc32c implements IncrementalChecksum {
  private crc = 0xffffffff;
  update(data: Buffer): void {
    crc32cTables ??= crcTables(0x82f63b78);
    const [t0, t1, t2, t3, t4, t5, t6, t7] = crc32cTables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    let crc = this.crc;
    let i = 0;
    const end8 = data.length - (data.length % 8);
    for (; i < end8; i += 8) {
      const a = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) ^ crc;
      crc =
        t7[a & 0xff]! ^ t6[(a >>> 8) & 0xff]! ^ t5[(a >>> 16) & 0xff]! ^ t4[a >>> 24]! ^
        t3[data[i + 4]!]! ^ t2[data[i + 5]!]! ^ t1[data[i + 6]!]! ^ t0[data[i + 7]!]!;
    }
    for (; i < data.length; i++) crc = t0[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
    this.crc = crc >>> 0;
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE((this.crc ^ 0xffffffff) >>> 0);
    return out;
  }
}

/** CRC-32 (the SDKs' default checksum) through zlib's native implementation. */
class Crc32 implements IncrementalChecksum {
  private crc = 0;
  update(data: Buffer): void {
    this.crc = zlib.crc32(data, this.crc);
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.crc >>> 0);
    return out;
  }
}

const CRC64NVME_POLY = 0x9a6c9329ac4bc9b5n;
let crc64Table: BigUint64Array | undefined;
class Crc64Nvme implements IncrementalChecksum {
  private crc = 0xffffffffffffffffn;
  update(data: Buffer): void {
    if (!crc64Table) {
      crc64Table = new BigUint64Array(256);
      for (let n = 0; n < 256; n++) {
        let c = BigInt(n);
        for (let k = 0; k < 8; k++) c = c & 1n ? CRC64NVME_POLY ^ (c >> 1n) : c >> 1n;
        crc64Table[n] = c;
      }
    }
    let crc = this.crc;
    for (let i = 0; i < data.length; i++) crc = crc64Table[Number((crc ^ BigInt(data[i]!)) & 0xffn)]! ^ (crc >> 8n);
    this.crc = crc;
  }
  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeBigUInt64BE(this.crc ^ 0xffffffffffffffffn);
    return out;
  }
}

class CryptoChecksum implements IncrementalChecksum {
  private readonly hash: Hash;
  constructor(algorithm: string) {
    this.hash = createHash(algorithm);
  }
  update(data: Buffer): void {
    this.hash.update(data);
  }
  digest(): Buffer {
    return this.hash.digest();
  }
}

export function createChecksum(algorithm: ChecksumAlgorithm): IncrementalChecksum {
  switch (algorithm) {
    case 'crc32':
      return new Crc32();
    case 'crc32c':
      return new Crc32c();
    case 'crc64nvme':
      return new Crc64Nvme();
    case 'sha1':
      return new CryptoChecksum('sha1');
    case 'sha256':
      return new CryptoChecksum('sha256');
  }
}

export function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const c = createChecksum(algorithm);
  c.update(data);
  return c.digest().toString('base64');
}

export function parseChecksumAlgorithm(value: string | undefined): ChecksumAlgorithm | undefined {
  const lower = value?.toLowerCase();
  return CHECKSUM_ALGORITHMS.find((a) => a === lower);
}

/** What an object or part records: the algorithm, its base64 value, and COMPOSITE (`…-N`) or FULL_OBJECT. */
export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

/** The response header / XML member name for an algorithm: `ChecksumCRC32`, `x-amz-checksum-crc32`. */
export function checksumMember(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm.toUpperCase()}`;
}
