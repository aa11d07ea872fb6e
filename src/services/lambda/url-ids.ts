import { randomInt } from 'node:crypto';
import { URL_ID_CHARS } from './limits.js';

const URL_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The random host label of a function URL: 32 lowercase letters and digits, like AWS's. */
export function newUrlId(): string {
  let id = '';
  for (let i = 0; i < URL_ID_CHARS; i++) id += URL_ID_ALPHABET[randomInt(URL_ID_ALPHABET.length)];
  return id;
}

/**
 * AWS's form is `https://<id>.lambda-url.<region>.on.aws/`; Lambkin serves it on the endpoint the
 * caller used, under a `.localhost` name that resolves to loopback without DNS setup.
 */
export function functionUrl(endpoint: { protocol: string; port: number }, id: string, region: string): string {
  return `${endpoint.protocol}://${id}.lambda-url.${region}.localhost:${endpoint.port}/`;
}
