import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { KinesisShardsTable } from '../../../store/schema.js';

export type ShardRow = Selectable<KinesisShardsTable>;
type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

/** A stream's shards in index order (creation order), open and closed. */
export async function listShardRows(db: Db, streamId: number): Promise<ShardRow[]> {
  return db.selectFrom('kinesis_shards').selectAll().where('stream_id', '=', streamId).orderBy('shard_index').execute();
}

export async function openShardRows(db: Db, streamId: number): Promise<ShardRow[]> {
  return db.selectFrom('kinesis_shards').selectAll().where('stream_id', '=', streamId).where('closed_at', 'is', null).orderBy('shard_index').execute();
}

export async function findShard(db: Db, streamId: number, shardIndex: number): Promise<ShardRow | undefined> {
  return db.selectFrom('kinesis_shards').selectAll().where('stream_id', '=', streamId).where('shard_index', '=', shardIndex).executeTakeFirst();
}

/** Open shards across an account's streams in a region (the shard quota counts them). */
export async function countOpenShards(db: Db, scope: { accountId: string; region: string }): Promise<number> {
  const row = await db
    .selectFrom('kinesis_shards')
    .innerJoin('kinesis_streams', 'kinesis_streams.id', 'kinesis_shards.stream_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kinesis_streams.account_id', '=', scope.accountId)
    .where('kinesis_streams.region', '=', scope.region)
    .where('kinesis_shards.closed_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
