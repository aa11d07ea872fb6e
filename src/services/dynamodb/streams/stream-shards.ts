import type { Clock } from '../../../clock.js';
import type { Store } from '../../../store/database.js';
import type { TableStream } from '../stream-contract.js';
import { closeOpenShard, openShardFor } from './shard-lifecycle.js';
import type { StreamNotifications } from './stream-notifications.js';

/**
 * Brings a stream's shards in line with its status before they are shown or read: an enabled
 * stream has an open shard even before its first record (AWS shows one at once), a disabled
 * stream's open shard is closed (readers then reach its end) and its readers are woken.
 */
export async function syncShards(deps: { db: Store; clock: Clock; notifications: StreamNotifications }, stream: TableStream): Promise<void> {
  const now = deps.clock.now();
  if (stream.disabledMs === undefined && stream.status === 'ENABLED') {
    await deps.db.transaction().execute((tx) => openShardFor(tx, stream.streamArn, now));
    return;
  }
  if (stream.disabledMs !== undefined && (await closeOpenShard(deps.db, stream.streamArn, stream.disabledMs))) deps.notifications.notify(stream.streamArn);
}
