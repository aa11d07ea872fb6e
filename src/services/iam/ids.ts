import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Unique ids as IAM spells them: a 4-letter prefix by kind (AROA roles, AIDA users, ANPA policies) and 17 characters. */
export function iamId(prefix: 'AROA' | 'AIDA' | 'ANPA'): string {
  let out = prefix;
  for (const b of randomBytes(17)) out += ALPHABET[b & 31];
  return out;
}

/** ISO 8601 without milliseconds, as IAM writes dates. */
export function iamDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
