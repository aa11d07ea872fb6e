import type { Store } from '../../store/database.js';
import type { OpenWindow } from './tumbling-window.js';

/** Where a mapping stands in one shard. */
export interface ShardCheckpoint {
  /** The last record fully processed (every lane finished it and all before it); null: none yet. */
  sequenceNumber: string | null;
  finished: boolean;
  /** Open tumbling windows by lane. */
  windows: Record<number, OpenWindow>;
}

export async function loadCheckpoints(db: Store, uuid: string): Promise<Map<string, ShardCheckpoint>> {
  const rows = await db.selectFrom('esm_stream_checkpoints').selectAll().where('mapping_uuid', '=', uuid).execute();
  return new Map(
    rows.map((r) => [
      r.shard_id,
      { sequenceNumber: r.sequence_number, finished: r.finished === 1, windows: r.window_state ? (JSON.parse(r.window_state) as Record<number, OpenWindow>) : {} },
    ]),
  );
}

/** Records progress in a shard; the batch it follows is then never delivered again after a restart. */
export async function saveCheckpoint(db: Store, uuid: string, shardId: string, checkpoint: ShardCheckpoint, now: number): Promise<void> {
  const values = {
    sequence_number: checkpoint.sequenceNumber,
    finished: checkpoint.finished ? 1 : 0,
    window_state: Object.keys(checkpoint.windows).length > 0 ? JSON.stringify(checkpoint.windows) : null,
    updated_at: now,
  };
  await db
    .insertInto('esm_stream_checkpoints')
    .values({ mapping_uuid: uuid, shard_id: shardId, ...values })
    .onConflict((oc) => oc.columns(['mapping_uuid', 'shard_id']).doUpdateSet(values))
    .execute();
}

export async function deleteCheckpoints(db: Store, uuid: string): Promise<void> {
  await db.deleteFrom('esm_stream_checkpoints').where('mapping_uuid', '=', uuid).execute();
}

/** Mappings that have checkpoints (to drop those of deleted mappings). */
export async function checkpointedMappings(db: Store): Promise<string[]> {
  return (await db.selectFrom('esm_stream_checkpoints').select('mapping_uuid').distinct().execute()).map((r) => r.mapping_uuid);
}
