import { parseStreamArn, type StreamKey } from './arns.js';
import { ConstraintCheck as ModelConstraintCheck, int, str, type ModelPattern } from '../../protocols/constraint-check.js';
import { errors } from './errors.js';
import { MAX_STREAM_NAME_CHARS } from './limits.js';

/** Model-constraint checks (protocols/constraint-check.ts) that fail with Kinesis' ValidationException, and Kinesis' own members. */
export class ConstraintCheck extends ModelConstraintCheck {
  constructor() {
    super(errors.constraint);
  }

  /** Model constraints of a member holding a stream name. */
  streamName(value: unknown, member = 'streamName'): this {
    return this.length(value, member, 1, MAX_STREAM_NAME_CHARS).pattern(value, member, STREAM_NAME);
  }

  shardId(value: unknown, member: string): this {
    return this.length(value, member, 1, 128).pattern(value, member, STREAM_NAME);
  }

  streamArn(value: unknown, member = 'streamARN'): this {
    return this.length(value, member, 1, 2048).pattern(value, member, STREAM_ARN);
  }

  hashKey(value: unknown, member: string): this {
    return this.pattern(value, member, HASH_KEY);
  }

  sequenceNumber(value: unknown, member: string): this {
    return this.pattern(value, member, SEQUENCE_NUMBER);
  }
}

export const STREAM_NAME: ModelPattern = { regex: /^[a-zA-Z0-9_.-]+$/, shown: '[a-zA-Z0-9_.-]+' };
const STREAM_ARN: ModelPattern = { regex: /^arn:aws.*:kinesis:.*:\d{12}:stream\/\S+$/, shown: 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+' };
const HASH_KEY: ModelPattern = { regex: /^(0|[1-9]\d{0,38})$/, shown: '0|([1-9]\\d{0,38})' };
const SEQUENCE_NUMBER: ModelPattern = { regex: /^(0|[1-9]\d{0,128})$/, shown: '0|([1-9]\\d{0,128})' };

export { int, str };

/** A blob member: base64 text in JSON, a byte string in CBOR. */
export function blob(value: unknown): Buffer | undefined {
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

/**
 * A timestamp member in epoch ms. JSON carries epoch seconds (fractions allowed) or ISO text;
 * AWS's CBOR carries tag 1 over epoch *milliseconds* (the Java SDK writes `toEpochMilli()`), which
 * a decoder that follows RFC 8949 reads as seconds: such a far-future Date is scaled back.
 */
export function timestampMs(value: unknown): number | undefined {
  const fromMagnitude = (n: number) => (Math.abs(n) >= 1e11 ? n : n * 1000);
  if (value instanceof Date) {
    const ms = value.getTime();
    return Math.round(Math.abs(ms) >= 1e14 ? ms / 1000 : ms);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(fromMagnitude(value));
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return Math.round(fromMagnitude(n));
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/**
 * The stream a request names: `StreamName`, `StreamARN` or both (they must agree).
 */
export function streamKeyOf(input: Record<string, unknown>, caller: { accountId: string; region: string }): StreamKey {
  new ConstraintCheck().streamName(input.StreamName).streamArn(input.StreamARN).throwIfAny();
  const name = str(input.StreamName);
  const arn = str(input.StreamARN);
  if (arn !== undefined) {
    const parsed = parseStreamArn(arn);
    if (!parsed) throw errors.constraint([`Value '${arn}' at 'streamARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+`]);
    if (name !== undefined && name !== parsed.name) throw errors.streamArnMismatch(arn, name);
    // Resource policies are not modelled: another account's or region's stream is not found.
    if (parsed.accountId !== caller.accountId || parsed.region !== caller.region) throw errors.streamNotFound(parsed.name, caller.accountId);
    return parsed;
  }
  if (name === undefined) throw errors.streamIdentifierRequired();
  return { accountId: caller.accountId, region: caller.region, name };
}
