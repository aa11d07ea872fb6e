import type { Store } from '../../store/database.js';
import { shardIndexOf, type StreamKey } from './arns.js';
import { errors } from './errors.js';
import { findShard, type ShardRow } from './tables/shards.js';
import { findStream, type StreamRow } from './tables/streams.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

/** The stream a request names, or AWS's not-found error. */
export async function requireStream(db: Db, key: StreamKey): Promise<StreamRow> {
  const stream = await findStream(db, key);
  if (!stream) throw errors.streamNotFound(key.name, key.accountId);
  return stream;
}

/** A shard of the stream by id, or `notFound` (each operation words it its own way). */
export async function requireShard(db: Db, stream: StreamRow, shardId: string, notFound: (shardId: string, name: string, account: string) => Error): Promise<ShardRow> {
  const index = shardIndexOf(shardId);
  const shard = index === null ? undefined : await findShard(db, stream.id, index);
  if (!shard) throw notFound(shardId, stream.name, stream.account_id);
  return shard;
}

/** Opaque list tokens: base64url JSON, with the time they were issued. */
export function encodeToken(doc: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(doc), 'utf8').toString('base64url');
}

export function decodeToken(token: string): Record<string, unknown> | null {
  try {
    const doc = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
