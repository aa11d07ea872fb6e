import type { Store } from '../../store/database.js';
import { shardIdOf } from './arns.js';
import { uniformRanges, type HashRange } from './hash-keys.js';
import { ceilingAt, floorAt } from './sequence-numbers.js';
import type { ShardRow } from './tables/shards.js';

type Trx = Pick<Store, 'insertInto' | 'updateTable'>;

/**
 * Changes to a stream's shards inside one transaction: shards are created with their lineage and
 * closed with an EndingSequenceNumber past every record they hold. Splits and merges are the
 * only primitives; uniform scaling is a series of them, so every shard has at most two parents
 * (ParentShardId, AdjacentParentShardId) as in AWS, and a reader that finishes the parents before
 * the children reads every partition key in order. Shards made and closed within one scaling are
 * empty.
 */
export class ShardLayout {
  private nextIndex: number;
  /** Shards created or closed here, for the notifications sent after commit. */
  readonly touched: string[] = [];

  constructor(
    private readonly trx: Trx,
    private readonly streamId: number,
    nextShardIndex: number,
    private readonly now: number,
  ) {
    this.nextIndex = nextShardIndex;
  }

  get nextShardIndex(): number {
    return this.nextIndex;
  }

  async create(range: HashRange, parents: { parent?: ShardRow; adjacent?: ShardRow } = {}): Promise<ShardRow> {
    // A child starts no earlier than its parents ended, so sequence numbers keep rising across them.
    const createdAt = Math.max(this.now, parents.parent?.closed_at ?? 0, parents.adjacent?.closed_at ?? 0);
    const index = this.nextIndex++;
    const row: ShardRow = {
      stream_id: this.streamId,
      shard_index: index,
      parent_index: parents.parent?.shard_index ?? null,
      adjacent_parent_index: parents.adjacent?.shard_index ?? null,
      starting_hash_key: range.start.toString(),
      ending_hash_key: range.end.toString(),
      starting_sequence_number: floorAt(createdAt, index),
      ending_sequence_number: null,
      created_at: createdAt,
      closed_at: null,
      last_arrival_ms: createdAt,
      last_counter: 0,
      last_sequence_number: null,
    };
    await this.trx.insertInto('kinesis_shards').values(row).execute();
    this.touched.push(shardIdOf(index));
    return row;
  }

  async close(shard: ShardRow): Promise<ShardRow> {
    const closedAt = Math.max(this.now, shard.last_arrival_ms);
    const ending = ceilingAt(closedAt, shard.shard_index);
    await this.trx
      .updateTable('kinesis_shards')
      .set({ closed_at: closedAt, ending_sequence_number: ending })
      .where('stream_id', '=', this.streamId)
      .where('shard_index', '=', shard.shard_index)
      .execute();
    this.touched.push(shardIdOf(shard.shard_index));
    return { ...shard, closed_at: closedAt, ending_sequence_number: ending };
  }

  /** Two children: `[start, newStartingHashKey - 1]` and `[newStartingHashKey, end]`. */
  async split(shard: ShardRow, newStartingHashKey: bigint): Promise<[ShardRow, ShardRow]> {
    const closed = await this.close(shard);
    const left = await this.create({ start: BigInt(shard.starting_hash_key), end: newStartingHashKey - 1n }, { parent: closed });
    const right = await this.create({ start: newStartingHashKey, end: BigInt(shard.ending_hash_key) }, { parent: closed });
    return [left, right];
  }

  /** One child covering both; `lower` is the shard with the lower hash keys. */
  async merge(lower: ShardRow, upper: ShardRow): Promise<ShardRow> {
    const a = await this.close(lower);
    const b = await this.close(upper);
    return this.create({ start: BigInt(lower.starting_hash_key), end: BigInt(upper.ending_hash_key) }, { parent: a, adjacent: b });
  }

  /** UNIFORM_SCALING: split at every target boundary inside a shard, then merge each target's pieces. */
  async scaleUniformly(open: ShardRow[], target: number): Promise<void> {
    const targets = uniformRanges(target);
    let pieces: ShardRow[] = [];
    for (const shard of [...open].sort(byStartingHashKey)) {
      let current = shard;
      for (const boundary of targets.map((t) => t.start)) {
        if (boundary > BigInt(current.starting_hash_key) && boundary <= BigInt(current.ending_hash_key)) {
          const [left, right] = await this.split(current, boundary);
          pieces.push(left);
          current = right;
        }
      }
      pieces.push(current);
    }
    for (const range of targets) {
      const inside = pieces.filter((p) => BigInt(p.starting_hash_key) >= range.start && BigInt(p.ending_hash_key) <= range.end).sort(byStartingHashKey);
      let merged = inside[0]!;
      for (const next of inside.slice(1)) merged = await this.merge(merged, next);
      pieces = pieces.filter((p) => !inside.includes(p));
    }
  }
}

export function byStartingHashKey(a: ShardRow, b: ShardRow): number {
  const x = BigInt(a.starting_hash_key);
  const y = BigInt(b.starting_hash_key);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether the open shards are already `count` uniform ranges (UpdateShardCount then has nothing to do). */
export function isUniform(open: ShardRow[], count: number): boolean {
  if (open.length !== count) return false;
  const sorted = [...open].sort(byStartingHashKey);
  return uniformRanges(count).every((r, i) => BigInt(sorted[i]!.starting_hash_key) === r.start && BigInt(sorted[i]!.ending_hash_key) === r.end);
}
