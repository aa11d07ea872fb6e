import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { RequestContext } from '../../contracts/request-context.js';
import { headerValue } from '../../protocols/header-value.js';
import { decodeAwsChunked } from './aws-chunked.js';
import { createChecksum, parseChecksumAlgorithm, CHECKSUM_ALGORITHMS, type ChecksumAlgorithm, type IncrementalChecksum } from './checksums.js';
import { errors } from './errors.js';
import type { ObjectFiles } from './object-files.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface PayloadDigest {
  size: number;
  md5Hex: string;
  /** The additional checksum the client sent or asked for, verified. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

export interface ReceivedPayload extends PayloadDigest {
  tempPath: string;
}

type Mode = { kind: 'plain'; sha256?: string } | { kind: 'chunked'; signed: boolean; trailer: boolean };

function payloadMode(ctx: RequestContext): Mode {
  const declared = headerValue(ctx.headers['x-amz-content-sha256']);
  if (declared === undefined) return ctx.signing ? { kind: 'plain', sha256: EMPTY_SHA256 } : { kind: 'plain' };
  switch (declared) {
    case 'UNSIGNED-PAYLOAD':
      return { kind: 'plain' };
    case 'STREAMING-UNSIGNED-PAYLOAD-TRAILER':
      return { kind: 'chunked', signed: false, trailer: true };
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD':
      return { kind: 'chunked', signed: true, trailer: false };
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER':
      return { kind: 'chunked', signed: true, trailer: true };
    default:
      if (!/^[0-9a-f]{64}$/.test(declared)) throw errors.invalidContentSha256();
      return { kind: 'plain', sha256: declared };
  }
}

/** The body length the client declares (decoded length for aws-chunked), or undefined. */
export function declaredLength(ctx: RequestContext): number | undefined {
  const mode = payloadMode(ctx);
  const text = headerValue(mode.kind === 'chunked' ? ctx.headers['x-amz-decoded-content-length'] : ctx.headers['content-length']);
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Reads the request body through `sink`, never holding it whole: decodes aws-chunked, checks chunk
 * signatures, the declared SHA-256, Content-MD5 and any `x-amz-checksum-*` (header or trailer).
 */
async function pumpPayload(ctx: RequestContext, maxBytes: number, sink: (data: Buffer) => void | Promise<void>): Promise<PayloadDigest> {
  const mode = payloadMode(ctx);
  const declared = declaredLength(ctx);
  if (declared !== undefined && declared > maxBytes) throw errors.entityTooLarge(declared, maxBytes);
  if (mode.kind === 'plain' && declared === undefined && headerValue(ctx.headers['transfer-encoding']) !== undefined) throw errors.missingContentLength();

  const headerChecksum = CHECKSUM_ALGORITHMS.find((a) => ctx.headers[`x-amz-checksum-${a}`] !== undefined);
  const trailerName = headerValue(ctx.headers['x-amz-trailer'])?.toLowerCase();
  const trailerChecksum = trailerName?.startsWith('x-amz-checksum-') ? parseChecksumAlgorithm(trailerName.slice('x-amz-checksum-'.length)) : undefined;
  const algorithm = headerChecksum ?? trailerChecksum ?? parseChecksumAlgorithm(headerValue(ctx.headers['x-amz-sdk-checksum-algorithm']));
  const checksum: IncrementalChecksum | undefined = algorithm ? createChecksum(algorithm) : undefined;
  const md5 = createHash('md5');
  const sha256: Hash | undefined = mode.kind === 'plain' && mode.sha256 ? createHash('sha256') : undefined;

  const source: AsyncIterable<Buffer> = ctx.bodyStream ?? (async function* () {
    if (ctx.body.length > 0) yield ctx.body;
  })();
  const trailers = new Map<string, string>();
  const data = mode.kind === 'chunked' ? decodeAwsChunked(source, { trailer: mode.trailer, ...(mode.signed && ctx.signing ? { signing: ctx.signing } : {}) }, trailers) : source;
  let size = 0;
  for await (const piece of data) {
    size += piece.length;
    if (size > maxBytes) throw errors.entityTooLarge(declared ?? size, maxBytes);
    md5.update(piece);
    checksum?.update(piece);
    sha256?.update(piece);
    await sink(piece);
  }
  if (declared !== undefined && size !== declared) throw errors.incompleteBody();
  if (sha256 && mode.kind === 'plain' && mode.sha256) {
    const computed = sha256.digest('hex');
    if (computed !== mode.sha256) throw errors.sha256Mismatch(mode.sha256, computed);
  }
  const md5Bytes = md5.digest();
  const contentMd5 = headerValue(ctx.headers['content-md5']);
  if (contentMd5 !== undefined) {
    if (Buffer.from(contentMd5, 'base64').length !== 16) throw errors.invalidDigest(contentMd5);
    if (contentMd5 !== md5Bytes.toString('base64')) throw errors.badDigest(contentMd5, md5Bytes.toString('base64'));
  }
  let verified: PayloadDigest['checksum'];
  if (algorithm && checksum) {
    const value = checksum.digest().toString('base64');
    const expected = headerChecksum ? headerValue(ctx.headers[`x-amz-checksum-${algorithm}`]) : trailerChecksum ? trailers.get(`x-amz-checksum-${algorithm}`) : undefined;
    if (expected !== undefined && expected !== value) {
      if (Buffer.from(expected, 'base64').toString('base64') !== expected) throw errors.invalidChecksum(algorithm);
      throw errors.checksumMismatch(algorithm);
    }
    verified = { algorithm, value };
  }
  return { size, md5Hex: md5Bytes.toString('hex'), ...(verified ? { checksum: verified } : {}) };
}

/** Streams the body into a temp file; the caller keeps or discards it. */
export async function receivePayload(ctx: RequestContext, files: ObjectFiles, maxBytes: number): Promise<ReceivedPayload> {
  const { tempPath, stream } = await files.createTemp();
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  try {
    const digest = await pumpPayload(ctx, maxBytes, async (piece) => {
      if (!stream.write(piece)) await Promise.race([once(stream, 'drain'), failed]);
    });
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    return { ...digest, tempPath };
  } catch (err) {
    stream.destroy();
    await files.discardTemp(tempPath);
    throw err;
  }
}

/** Reads a small request document (XML configurations, DeleteObjects) with the same checks. */
export async function readDocument(ctx: RequestContext, maxBytes: number): Promise<string> {
  const parts: Buffer[] = [];
  await pumpPayload(ctx, maxBytes, (piece) => {
    parts.push(piece);
  });
  return Buffer.concat(parts).toString('utf8');
}

/** Drains what is left of a body the operation does not use. */
export function discardBody(stream: Readable | undefined): void {
  stream?.resume();
}
