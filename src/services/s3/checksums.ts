import { createHash, type Hash } from 'node:crypto';

/** The additional checksums S3 accepts (`x-amz-checksum-<algorithm>`), computed incrementally. */
export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'sha1' | 'sha256' | 'crc64nvme';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['crc32', 'crc32c', 'sha1', 'sha256', 'crc64nvme'];

export interface IncrementalChecksum {
  update(data: Buffer): void;
  /** The raw digest bytes (big-endian for CRCs), as S3 base64-encodes them. */
  digest(): Buffer;
}

function crcTable(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? polynomial ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32_TABLE = crcTable(0xedb88320);
const CRC32C_TABLE = crcTable(0x82f63b78);

class Crc32 implements IncrementalChecksum {
  private crc = 0xffffffff;
  constructor(private readonly table: Uint32Array) {}
  update(data: Buffer): void {
    let crc = this.crc;
    const table = this.table;
    for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
    this.crc = crc;
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE((this.crc ^ 0xffffffff) >>> 0);
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
      return new Crc32(CRC32_TABLE);
    case 'crc32c':
      return new Crc32(CRC32C_TABLE);
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
