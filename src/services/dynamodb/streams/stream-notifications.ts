/**
 * In-process "records arrived on this stream" signals, sent after the item write's transaction
 * committed (and when a shard closes, so a waiting reader sees its end without polling). Keyed by
 * stream ARN: a stream has one open shard, which is where new records go. Listeners must not throw.
 */
export type StreamListener = () => void;

export class StreamNotifications {
  private readonly listeners = new Map<string, Set<StreamListener>>();
  private forward: ((streamArn: string) => void) | undefined;

  /** Also tells `forward` of each notice (the cluster's other nodes: `notifyLocal` there). */
  onNotify(forward: (streamArn: string) => void): void {
    this.forward = forward;
  }

  subscribe(streamArn: string, listener: StreamListener): () => void {
    let set = this.listeners.get(streamArn);
    if (!set) this.listeners.set(streamArn, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(streamArn) === set) this.listeners.delete(streamArn);
    };
  }

  notify(streamArn: string): void {
    this.forward?.(streamArn);
    this.notifyLocal(streamArn);
  }

  /** Wakes this process's readers only (another node wrote the records). */
  notifyLocal(streamArn: string): void {
    const set = this.listeners.get(streamArn);
    if (!set) return;
    for (const listener of [...set]) listener();
  }
}
