import { createHash } from 'node:crypto';

const HASH_LENGTH = 10;

/** JSON with keys sorted at every level, no spaces, non-ASCII escaped: Python's json.dumps(sort_keys=True, separators=(",", ":")). */
export function stableJson(value: unknown): string {
  const sorted = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(sorted);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.keys(node).sort().map((key) => [key, sorted((node as Record<string, unknown>)[key])]));
    }
    return node;
  };
  return JSON.stringify(sorted(value)).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The 10-hex-digit suffix samtranslator's LogicalIdGenerator appends: the SHA-1 of the data's
 * stable JSON (a string is hashed as is), or the start of a hash the user gave. Logical ids built
 * from it change exactly when the data changes, which is what makes CloudFormation publish a new
 * Lambda version when the code moves.
 */
export function logicalIdHash(data: unknown, givenHash?: string): string {
  if (givenHash) return givenHash.slice(0, HASH_LENGTH);
  const empty = data === undefined || data === null || data === '' || (typeof data === 'object' && Object.keys(data).length === 0);
  if (empty) return '';
  const text = typeof data === 'string' ? data : stableJson(data);
  return createHash('sha1').update(text, 'utf8').digest('hex').slice(0, HASH_LENGTH);
}
