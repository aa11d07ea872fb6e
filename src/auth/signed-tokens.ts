import { createHmac, timingSafeEqual } from 'node:crypto';

const MAC_BYTES = 16;

/**
 * Self-contained tokens handed to clients (shard iterators): base64 of an HMAC tag and a small JSON
 * document. Nothing is stored, so they survive restarts; the key is derived from the installation
 * secret and a purpose, so a token of one kind is never accepted as another, nor by a new data
 * directory.
 */
export class SignedTokens {
  private readonly key: Buffer;

  constructor(installationSecret: Buffer, purpose: string) {
    this.key = createHmac('sha256', installationSecret).update(purpose).digest();
  }

  encode(document: unknown): string {
    const body = Buffer.from(JSON.stringify(document), 'utf8');
    return Buffer.concat([this.mac(body), body]).toString('base64');
  }

  /** The token's document, or null when it is not one of ours or was altered. */
  decode(token: string): unknown {
    const raw = Buffer.from(token, 'base64');
    if (raw.length <= MAC_BYTES) return null;
    const body = raw.subarray(MAC_BYTES);
    if (!timingSafeEqual(raw.subarray(0, MAC_BYTES), this.mac(body))) return null;
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      return null;
    }
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}
