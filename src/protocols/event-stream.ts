import { crc32 } from 'node:zlib';

const STRING_HEADER_TYPE = 7;

/**
 * One `application/vnd.amazon.eventstream` message: prelude (total length, headers length, CRC),
 * string headers, payload, message CRC — the framing the SDKs' event-stream decoders read.
 */
export function eventStreamMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const encoded = Object.entries(headers).map(([name, value]) => {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const out = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    out.writeUInt8(n.length, 0);
    n.copy(out, 1);
    out.writeUInt8(STRING_HEADER_TYPE, 1 + n.length);
    out.writeUInt16BE(v.length, 2 + n.length);
    v.copy(out, 4 + n.length);
    return out;
  });
  const headerBytes = Buffer.concat(encoded);
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** An event of an event stream (`:message-type` event). */
export function eventMessage(eventType: string, contentType: string, payload: Uint8Array): Buffer {
  return eventStreamMessage({ ':event-type': eventType, ':content-type': contentType, ':message-type': 'event' }, payload);
}
