/** A record read from a shard and not yet known to be finished with. */
export interface FrontierEntry {
  sequenceNumber: string;
  done: boolean;
}

/**
 * The records of one shard in read order, so the checkpoint only passes records every lane has
 * finished with: lanes finish out of order, and a restart resumes after the checkpoint.
 */
export class ShardFrontier {
  private entries: FrontierEntry[] = [];
  private head = 0;

  push(sequenceNumber: string): FrontierEntry {
    const entry = { sequenceNumber, done: false };
    this.entries.push(entry);
    return entry;
  }

  /** Records read and not yet passed by the checkpoint. */
  get size(): number {
    return this.entries.length - this.head;
  }

  /** Moves past the finished records at the front: the last of them (the new checkpoint), or null. */
  advance(): string | null {
    let last: string | null = null;
    while (this.head < this.entries.length && (this.entries[this.head] as FrontierEntry).done) {
      last = (this.entries[this.head] as FrontierEntry).sequenceNumber;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return last;
  }
}

/** The lane of a partition key (FNV-1a): one key always lands in one lane, so it stays in order. */
export function laneOfKey(partitionKey: string, lanes: number): number {
  if (lanes <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < partitionKey.length; i++) {
    hash ^= partitionKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}
