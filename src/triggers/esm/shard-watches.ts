interface ShardWatch {
  /** Records arrived (or the shard closed) since the last read began. */
  dirty: boolean;
  wake: (() => void) | undefined;
  unsubscribe: () => void;
}

/**
 * How an embedded source lets a poller sleep on an idle shard: a subscription to the service's
 * "records committed" signal, from the shard's first read until `release`, so a write landing
 * between a read and the wait after it is not missed.
 */
export class ShardWatches {
  private readonly watches = new Map<string, ShardWatch>();

  /** `subscribe` registers the listener with the service and returns its unsubscribe. */
  constructor(private readonly subscribe: (shardId: string, listener: () => void) => () => void) {}

  /** Call as a read begins: what arrives from now on wakes the next wait. */
  readStarted(shardId: string): void {
    this.watch(shardId).dirty = false;
  }

  wait(shardId: string, maxWaitMs: number, signal: AbortSignal): Promise<void> {
    const watch = this.watch(shardId);
    return new Promise<void>((resolve) => {
      if (signal.aborted || watch.dirty) return resolve();
      const done = () => {
        clearTimeout(timer);
        watch.wake = undefined;
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      watch.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  release(shardId: string): void {
    this.watches.get(shardId)?.unsubscribe();
    this.watches.delete(shardId);
  }

  close(): void {
    for (const watch of this.watches.values()) watch.unsubscribe();
    this.watches.clear();
  }

  private watch(shardId: string): ShardWatch {
    let watch = this.watches.get(shardId);
    if (!watch) {
      const created: ShardWatch = { dirty: false, wake: undefined, unsubscribe: () => undefined };
      created.unsubscribe = this.subscribe(shardId, () => {
        created.dirty = true;
        created.wake?.();
      });
      this.watches.set(shardId, (watch = created));
    }
    return watch;
  }
}
