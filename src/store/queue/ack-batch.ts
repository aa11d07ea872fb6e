interface PendingAck<Id> {
  id: Id;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Acks of one turn of the event loop share one DELETE: under load a statement (and a commit) per
 * item was a fair share of handling one. Each promise resolves once its item is removed.
 */
export class AckBatch<Id> {
  private pending: Array<PendingAck<Id>> = [];
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly queue: { ack(ids: readonly Id[]): Promise<number> }) {}

  ack(id: Id): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ id, resolve, reject });
      if (this.pending.length > 1) return;
      const write: Promise<void> = new Promise<void>((r) => setImmediate(r))
        .then(() => this.write())
        .finally(() => this.writes.delete(write));
      this.writes.add(write);
    });
  }

  /** Resolves once every ack asked for so far is written (or failed). */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      await this.queue.ack(batch.map((a) => a.id));
      for (const a of batch) a.resolve();
    } catch (err) {
      for (const a of batch) a.reject(err);
    }
  }
}
