import type { IdBlocks } from '../../store/cluster/id-blocks.js';

/**
 * The numbers a message gets when stored: `seq`, the store's row order (and key), and the FIFO
 * sequence number. Both continue from the highest found in the store at load. On a shared store
 * several nodes insert rows, so `seq` comes from blocks of the cluster's counter (`shared`),
 * raised above every row a node loads when it takes queues over, so a queue's rows stay in send
 * order whichever node stored them.
 */
export class MessageNumbering {
  private nextSeq = 1;
  private sequenceCounter = 0n;

  constructor(private readonly shared?: IdBlocks) {}

  /** The next store row number. */
  async takeSeq(): Promise<number> {
    if (this.shared) return (await this.shared.take(1))[0] as number;
    return this.nextSeq++;
  }

  /** Notes a stored row, so new rows number after it. */
  seenSeq(seq: number): void {
    this.nextSeq = Math.max(this.nextSeq, seq + 1);
    this.shared?.raiseFloor(seq + 1);
  }

  /** Notes a stored FIFO sequence number, so new ones are larger. */
  seenSequenceNumber(sequenceNumber: string): void {
    const n = BigInt(sequenceNumber);
    if (n > this.sequenceCounter) this.sequenceCounter = n;
  }

  /** FIFO sequence numbers: 20 digits, increasing per queue (here: per process, which is stronger). */
  nextSequenceNumber(now: number): string {
    const candidate = BigInt(now) * 1_000_000n;
    this.sequenceCounter = candidate > this.sequenceCounter ? candidate : this.sequenceCounter + 1n;
    return this.sequenceCounter.toString().padStart(20, '1');
  }
}
