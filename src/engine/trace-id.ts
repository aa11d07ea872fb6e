import { randomFillSync } from 'node:crypto';

// One random fill serves 102 trace ids: a randomBytes call per invoke was a visible share of it.
const POOL = Buffer.alloc(20 * 102);
let offset = POOL.length;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const hex = POOL.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** `Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0`, the X-Ray header format. */
export function newTraceId(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${randomHex(12)};Parent=${randomHex(8)};Sampled=0`;
}
