/**
 * Sequence numbers look like AWS's: 56 decimal digits, so two of them compare as strings. Layout:
 * `4` · arrival time in epoch ms (15 digits) · shard index (10) · per-shard counter (30). A shard's
 * arrival times never go backwards (the writer clamps them), so within a shard the order of
 * sequence numbers is the order of arrival, and "the first record at or after time T" is the
 * first sequence number at or after `floorAt(T)`: AT_TIMESTAMP and retention are key ranges.
 */
export const SEQUENCE_DIGITS = 56;
const TIME_DIGITS = 15;
const SHARD_DIGITS = 10;
const COUNTER_DIGITS = 30;
const MAX_SHARD_INDEX = 2_147_483_647;

export interface SequenceParts {
  timeMs: number;
  shardIndex: number;
  counter: number;
}

export function formatSequence(parts: SequenceParts): string {
  return `4${pad(parts.timeMs, TIME_DIGITS)}${pad(parts.shardIndex, SHARD_DIGITS)}${pad(parts.counter, COUNTER_DIGITS)}`;
}

/** The smallest sequence number a record of this shard arriving at `timeMs` or later can have. */
export function floorAt(timeMs: number, shardIndex: number): string {
  return formatSequence({ timeMs: Math.max(0, Math.floor(timeMs)), shardIndex, counter: 0 });
}

/** The largest sequence number of this shard at `timeMs`: a closed shard's EndingSequenceNumber. */
export function ceilingAt(timeMs: number, shardIndex: number): string {
  return `4${pad(timeMs, TIME_DIGITS)}${pad(shardIndex, SHARD_DIGITS)}${'9'.repeat(COUNTER_DIGITS)}`;
}

/** The parts of one of our sequence numbers, or null for anything else. */
export function parseSequence(value: string): SequenceParts | null {
  if (value.length !== SEQUENCE_DIGITS || !/^4\d+$/.test(value)) return null;
  const timeMs = Number(value.slice(1, 1 + TIME_DIGITS));
  const shardIndex = Number(value.slice(1 + TIME_DIGITS, 1 + TIME_DIGITS + SHARD_DIGITS));
  const counter = Number(value.slice(1 + TIME_DIGITS + SHARD_DIGITS));
  if (shardIndex > MAX_SHARD_INDEX || !Number.isSafeInteger(counter)) return null;
  return { timeMs, shardIndex, counter };
}

function pad(n: number, digits: number): string {
  return String(n).padStart(digits, '0');
}
