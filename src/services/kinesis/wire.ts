import { cborTimestamp } from '../../protocols/aws-cbor.js';

/**
 * Handlers answer with Dates for timestamps and Buffers for blobs; this writes them for the
 * protocol the caller used — JSON: epoch seconds with a fraction and base64 text; CBOR: tag 1
 * over epoch ms and byte strings. Members that are undefined are left out.
 */
export type WireFormat = 'json' | 'cbor';

export function toWire(value: unknown, format: WireFormat): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return format === 'json' ? value.getTime() / 1000 : cborTimestamp(value);
  if (value instanceof Uint8Array) return format === 'json' ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : value;
  if (Array.isArray(value)) return value.map((item) => toWire(item, format));
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = toWire(member, format);
  return out;
}
