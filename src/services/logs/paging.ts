import { errors } from './errors.js';

/** Describe* paging: the token carries the last key answered, opaque to clients. */
export function pageToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey })).toString('base64url');
}

export function pageAfter(token: unknown): string | undefined {
  if (token === undefined || token === null) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string') return parsed.k;
  } catch {
    // Falls through to AWS's answer for a token it did not issue.
  }
  throw errors.invalidNextToken();
}

/** One page of `items` (already in key order) after the token's key, and the token for the next. */
export function page<T>(items: T[], keyOf: (item: T) => string, token: unknown, limit: number, descending = false): { items: T[]; nextToken?: string } {
  const after = pageAfter(token);
  const rest = after === undefined ? items : items.filter((i) => (descending ? keyOf(i) < after : keyOf(i) > after));
  const out = rest.slice(0, limit);
  return rest.length > limit ? { items: out, nextToken: pageToken(keyOf(out[out.length - 1]!)) } : { items: out };
}
