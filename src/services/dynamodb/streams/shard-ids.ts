import { randomBytes } from 'node:crypto';

/** A shard id as AWS shows them: `shardId-` · creation time in epoch ms (20 digits) · `-` · 8 hex digits. */
export function newShardId(createdMs: number): string {
  return `shardId-${String(Math.floor(createdMs)).padStart(20, '0')}-${randomBytes(4).toString('hex')}`;
}
