import type { Clock } from '../../clock.js';
import { SHARD_READ_BYTES_PER_SECOND, SHARD_READ_CALLS_PER_SECOND, SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from './limits.js';

interface Window {
  second: number;
  writeBytes: number;
  writeRecords: number;
  readBytes: number;
  readCalls: number;
}

/**
 * AWS's per-shard throughput limits over one-second windows: writes of 1 MiB or 1,000 records,
 * reads of 5 GetRecords calls or 2 MiB. Off unless enabled (a local stream is not billed by the
 * shard); when off every check passes.
 */
export class ShardThroughput {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    readonly enforced: boolean,
  ) {}

  /** Whether one more record of `bytes` fits this second; counts it when it does. */
  admitWrite(shardKey: string, bytes: number): boolean {
    if (!this.enforced) return true;
    const w = this.window(shardKey);
    if (w.writeRecords + 1 > SHARD_WRITE_RECORDS_PER_SECOND || w.writeBytes + bytes > SHARD_WRITE_BYTES_PER_SECOND) return false;
    w.writeRecords += 1;
    w.writeBytes += bytes;
    return true;
  }

  /** Whether a GetRecords call may run now; counts it when it may. */
  admitRead(shardKey: string): boolean {
    if (!this.enforced) return true;
    const w = this.window(shardKey);
    if (w.readCalls + 1 > SHARD_READ_CALLS_PER_SECOND || w.readBytes >= SHARD_READ_BYTES_PER_SECOND) return false;
    w.readCalls += 1;
    return true;
  }

  countRead(shardKey: string, bytes: number): void {
    if (this.enforced) this.window(shardKey).readBytes += bytes;
  }

  private window(shardKey: string): Window {
    const second = Math.floor(this.clock.now() / 1000);
    let w = this.windows.get(shardKey);
    if (!w || w.second !== second) {
      if (this.windows.size > 10_000) this.windows.clear();
      w = { second, writeBytes: 0, writeRecords: 0, readBytes: 0, readCalls: 0 };
      this.windows.set(shardKey, w);
    }
    return w;
  }
}
