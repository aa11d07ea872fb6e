/**
 * DynamoDB stream sequence numbers look like AWS's (`100000000000000000001`): 21 decimal digits,
 * a leading `1` and a per-stream counter, so they increase per stream across its shards and two of
 * them compare as strings.
 */
export const SEQUENCE_DIGITS = 21;
const BASE = 10n ** BigInt(SEQUENCE_DIGITS - 1);

/** The stream's first sequence number. */
export const FIRST_SEQUENCE = (BASE + 1n).toString();

export function nextSequence(after: string): string {
  return (BigInt(after) + 1n).toString();
}

/** Whether `value` has the form of one of our sequence numbers (digits only, our length). */
export function isSequenceNumber(value: string): boolean {
  return value.length === SEQUENCE_DIGITS && /^1\d+$/.test(value);
}
