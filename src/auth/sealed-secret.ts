import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Seals session secrets with a key derived from the installation secret (AES-256-GCM), so the
 * database alone does not hand out working credentials.
 */
export class SecretSealer {
  private readonly key: Buffer;

  constructor(installationSecret: Buffer) {
    this.key = createHmac('sha256', installationSecret).update('lambkin sts session secrets').digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${iv.toString('base64')}.${cipher.getAuthTag().toString('base64')}.${body.toString('base64')}`;
  }

  /** null when the text was not sealed with this installation's secret. */
  open(sealed: string): string | null {
    const [iv, tag, body] = sealed.split('.');
    if (!iv || !tag || body === undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
