import { SignedTokens } from '../../auth/signed-tokens.js';
import type { LowerBound } from './tables/records.js';

/**
 * Shard iterators are signed, self-contained tokens naming the stream (its id, so a stream deleted
 * and created again does not take old iterators), the shard, the position and when the iterator
 * was issued.
 */
export interface ShardIteratorState {
  streamId: number;
  streamName: string;
  shardIndex: number;
  position: LowerBound;
  issuedAt: number;
}

export class ShardIterators {
  private readonly tokens: SignedTokens;

  constructor(installationSecret: Buffer) {
    this.tokens = new SignedTokens(installationSecret, 'kinesis shard iterator v1');
  }

  encode(state: ShardIteratorState): string {
    return this.tokens.encode({ i: state.streamId, n: state.streamName, s: state.shardIndex, q: state.position.sequence, x: state.position.inclusive ? 1 : 0, t: state.issuedAt });
  }

  /** The iterator's state, or null when it is not one of ours or was altered. */
  decode(token: string): ShardIteratorState | null {
    const doc = this.tokens.decode(token) as { i: number; n: string; s: number; q: string; x: number; t: number } | null;
    if (!doc || typeof doc !== 'object') return null;
    return { streamId: doc.i, streamName: doc.n, shardIndex: doc.s, position: { sequence: doc.q, inclusive: doc.x === 1 }, issuedAt: doc.t };
  }
}
