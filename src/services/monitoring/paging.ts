import { errors } from './errors.js';

/** Page tokens: the offset into a listing, as opaque base64 text. */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}

export function offsetOfToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // falls through to the error
  }
  throw errors.invalidNextToken();
}
