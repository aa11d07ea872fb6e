import { createHash } from 'node:crypto';

/** Hash keys are unsigned 128-bit integers; a partition key's is the MD5 of its UTF-8 bytes. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;

export function hashKeyOfPartitionKey(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** A decimal hash key as AWS's pattern allows (`0|([1-9]\d{0,38})`) within range, or null. */
export function parseHashKey(value: string): bigint | null {
  if (!/^(0|[1-9]\d{0,38})$/.test(value)) return null;
  const key = BigInt(value);
  return key <= MAX_HASH_KEY ? key : null;
}

export interface HashRange {
  start: bigint;
  end: bigint;
}

/** `count` equal ranges covering the whole key space, as CreateStream and UpdateShardCount lay them out. */
export function uniformRanges(count: number): HashRange[] {
  const step = (MAX_HASH_KEY + 1n) / BigInt(count);
  return Array.from({ length: count }, (_, i) => ({
    start: step * BigInt(i),
    end: i === count - 1 ? MAX_HASH_KEY : step * BigInt(i + 1) - 1n,
  }));
}
