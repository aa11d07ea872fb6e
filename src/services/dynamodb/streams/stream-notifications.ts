/**
 * In-process "records arrived on this stream" signals, sent after the item write's transaction
 * committed (and when a shard closes, so a waiting reader sees its end without polling). Keyed by
 * stream ARN: a stream has one open shard, which is where new records go. Listeners must not throw.
 */
export type StreamListener = () => void;

export class StreamNotifications {
  private readonly listeners = new Map<string, Set<StreamListener>>();

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
    const set = this.listeners.get(streamArn);
    if (!set) return;
    for (const listener of [...set]) listener();
  }
}
