import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LowerBound } from './tables/records.js';

/**
 * Shard iterators are self-contained: base64 of an HMAC tag and a small JSON document naming the
 * stream, the shard, the position and when the iterator was issued. Nothing is stored, so they
 * survive restarts; the key comes from the installation secret.
 */
export interface ShardIteratorState {
  streamArn: string;
  shardId: string;
  position: LowerBound;
  issuedAt: number;
}

const MAC_BYTES = 16;

export class ShardIterators {
  private readonly key: Buffer;

  constructor(installationSecret: Buffer) {
    this.key = createHmac('sha256', installationSecret).update('dynamodb streams shard iterator v1').digest();
  }

  encode(state: ShardIteratorState): string {
    const body = Buffer.from(
      JSON.stringify({ a: state.streamArn, s: state.shardId, q: state.position.sequence, x: state.position.inclusive ? 1 : 0, t: state.issuedAt }),
      'utf8',
    );
    return Buffer.concat([this.mac(body), body]).toString('base64');
  }

  /** The iterator's state, or null when it is not one of ours or was altered. */
  decode(token: string): ShardIteratorState | null {
    const raw = Buffer.from(token, 'base64');
    if (raw.length <= MAC_BYTES) return null;
    const mac = raw.subarray(0, MAC_BYTES);
    const body = raw.subarray(MAC_BYTES);
    if (!timingSafeEqual(mac, this.mac(body))) return null;
    try {
      const doc = JSON.parse(body.toString('utf8')) as { a: string; s: string; q: string; x: number; t: number };
      return { streamArn: doc.a, shardId: doc.s, position: { sequence: doc.q, inclusive: doc.x === 1 }, issuedAt: doc.t };
    } catch {
      return null;
    }
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}
