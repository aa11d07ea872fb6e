/**
 * In-process "records arrived on this shard" signals (also sent when a shard closes, so a waiting
 * reader sees the end of a shard without polling). Keyed by stream ARN and shard id, the names a
 * poller knows. Listeners run after the write committed; they must not throw.
 */
export type ShardListener = () => void;

export class RecordNotifications {
  private readonly listeners = new Map<string, Set<ShardListener>>();
  private forward: ((streamArn: string, shardId: string) => void) | undefined;

  /** Also tells `forward` of each notice (the cluster's other nodes: `notifyLocal` there). */
  onNotify(forward: (streamArn: string, shardId: string) => void): void {
    this.forward = forward;
  }

  subscribe(streamArn: string, shardId: string, listener: ShardListener): () => void {
    const key = `${streamArn} ${shardId}`;
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  notify(streamArn: string, shardId: string): void {
    this.forward?.(streamArn, shardId);
    this.notifyLocal(streamArn, shardId);
  }

  /** Wakes this process's readers only (another node wrote the records). */
  notifyLocal(streamArn: string, shardId: string): void {
    const set = this.listeners.get(`${streamArn} ${shardId}`);
    if (!set) return;
    for (const listener of [...set]) listener();
  }
}
