import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestContext } from '../../contracts/request-context.js';

const LOCATION_TTL_SECONDS = 600;

/**
 * GetFunction's `Code.Location`: a time-limited URL on our own port that needs no signature, like
 * the presigned S3 URL AWS returns. The token is an HMAC under a per-installation secret.
 */
export function codeLocation(deps: { codeUrlSecret: Buffer; clock: { now(): number } }, req: RequestContext, codeHex: string): string {
  const expires = Math.floor(deps.clock.now() / 1000) + LOCATION_TTL_SECONDS;
  const token = sign(deps.codeUrlSecret, codeHex, expires);
  const { protocol, hostname, port } = req.endpoint;
  return `${protocol}://${hostname}:${port}/_lambkin/code/${codeHex}?expires=${expires}&token=${token}`;
}

export function verifyCodeToken(secret: Buffer, codeHex: string, expires: number, token: string, nowMs: number): boolean {
  if (!Number.isInteger(expires) || expires * 1000 < nowMs) return false;
  const expected = Buffer.from(sign(secret, codeHex, expires));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function sign(secret: Buffer, codeHex: string, expires: number): string {
  return createHmac('sha256', secret).update(`${codeHex}:${expires}`).digest('hex');
}
