import { randomString } from '../random-pool.js';

/** `Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0`, the X-Ray header format. */
export function newTraceId(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${randomString(12, 'hex')};Parent=${randomString(8, 'hex')};Sampled=0`;
}
