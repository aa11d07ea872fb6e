import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ChunkSigningContext } from '../../contracts/request-context.js';
import { errors } from './errors.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MAX_LINE_BYTES = 4096;

export interface AwsChunkedOptions {
  /** Set for `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`: every chunk signature is checked against the chain. */
  signing?: ChunkSigningContext;
  /** Whether trailing headers follow the final chunk (`…-TRAILER` modes). */
  trailer: boolean;
}

/**
 * Decodes an `aws-chunked` body (`<hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n … 0…\r\n
 * [trailers]\r\n`), yielding the data as it arrives; trailing headers land in `trailers`.
 */
export async function* decodeAwsChunked(source: AsyncIterable<Buffer>, options: AwsChunkedOptions, trailers: Map<string, string>): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let previousSignature = options.signing?.seedSignature ?? '';
  let state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  let remaining = 0;
  let chunkSignature = '';
  let chunkHash = createHash('sha256');

  const verifyChunk = (dataHashHex: string) => {
    if (!options.signing) return;
    const s = options.signing;
    const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', s.amzDate, s.scope, previousSignature, EMPTY_SHA256, dataHashHex].join('\n');
    previousSignature = checkSignature(s.signingKey, stringToSign, chunkSignature);
  };

  for await (const piece of source) {
    pending = pending.length === 0 ? piece : Buffer.concat([pending, piece]);
    while (pending.length > 0 && state !== 'done') {
      if (state === 'data') {
        const take = Math.min(remaining, pending.length);
        const data = pending.subarray(0, take);
        pending = pending.subarray(take);
        remaining -= take;
        if (options.signing) chunkHash.update(data);
        yield data;
        if (remaining === 0) state = 'data-end';
        continue;
      }
      const eol = pending.indexOf('\r\n');
      if (eol < 0) {
        if (pending.length > MAX_LINE_BYTES) throw errors.incompleteBody();
        break;
      }
      const line = pending.subarray(0, eol).toString('latin1');
      pending = pending.subarray(eol + 2);
      if (state === 'data-end') {
        if (line !== '') throw errors.incompleteBody();
        verifyChunk(chunkHash.digest('hex'));
        state = 'size';
      } else if (state === 'size') {
        const [sizeText, ...extensions] = line.split(';');
        const size = Number.parseInt(sizeText ?? '', 16);
        if (!Number.isFinite(size) || size < 0 || !/^[0-9a-fA-F]+$/.test(sizeText ?? '')) throw errors.incompleteBody();
        chunkSignature = extensions.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length) ?? '';
        if (options.signing && !chunkSignature) throw errors.chunkSignatureMismatch();
        chunkHash = createHash('sha256');
        if (size === 0) {
          verifyChunk(EMPTY_SHA256);
          state = options.trailer ? 'trailer' : 'done';
        } else {
          remaining = size;
          state = 'data';
        }
      } else if (state === 'trailer') {
        if (line === '') {
          state = 'done';
          break;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) throw errors.incompleteBody();
        trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
    }
  }
  if (state !== 'done' && !(state === 'trailer' && pending.length === 0 && trailers.size > 0)) throw errors.incompleteBody();
  const trailerSignature = trailers.get('x-amz-trailer-signature');
  if (options.signing && options.trailer) {
    const s = options.signing;
    let canonical = '';
    for (const [name, value] of trailers) if (name !== 'x-amz-trailer-signature') canonical += `${name}:${value}\n`;
    const hash = createHash('sha256').update(canonical).digest('hex');
    const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', s.amzDate, s.scope, previousSignature, hash].join('\n');
    checkSignature(s.signingKey, stringToSign, trailerSignature ?? '');
  }
}

function checkSignature(key: Buffer, stringToSign: string, given: string): string {
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw errors.chunkSignatureMismatch();
  return expected;
}
