import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Registry passwords, as GetAuthorizationToken hands them out: `AWS:<password>` where the
 * password names the access key that asked, the region and an expiry, sealed with a key derived
 * from the installation secret. The registry trusts a password it sealed and that has not expired,
 * for as long as its access key still exists.
 */
export class RegistryTokens {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = createHmac('sha256', secret).update('ecr-registry-token').digest();
  }

  issue(accessKeyId: string, region: string, expiresAtMs: number): string {
    const payload = Buffer.from(JSON.stringify({ k: accessKeyId, r: region, e: expiresAtMs })).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  /** The key and region a password was issued for; null when it is forged, mangled or expired. */
  verify(password: string, nowMs: number): { accessKeyId: string; region: string } | null {
    const [payload, signature, extra] = password.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { k: string; r: string; e: number };
      if (typeof claims.k !== 'string' || typeof claims.r !== 'string' || typeof claims.e !== 'number' || claims.e <= nowMs) return null;
      return { accessKeyId: claims.k, region: claims.r };
    } catch {
      return null;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
