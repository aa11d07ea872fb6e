import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
}

export interface TlsCertificateSource {
  /** A PEM certificate (chain) and its key given by the user (LAMBKIN_ALB_TLS_CERT / _KEY); both or neither. */
  certFile?: string;
  keyFile?: string;
  /** Where a generated certificate is kept, so clients that trust it keep trusting it after a restart. */
  dataDir: string;
}

/**
 * The certificate HTTPS listeners present. ACM is not there, so a listener's CertificateArn is
 * stored and echoed but every HTTPS listener serves this one: the user's PEM files, else a
 * self-signed certificate for localhost (and 127.0.0.1, ::1) made on first use and kept under the
 * data directory (`alb-tls/cert.pem`, which clients can trust as a CA).
 */
export class ListenerCertificate {
  private pending: Promise<TlsMaterial> | undefined;

  constructor(private readonly source: TlsCertificateSource) {}

  get(): Promise<TlsMaterial> {
    this.pending ??= this.load().catch((err: unknown) => {
      this.pending = undefined;
      throw err;
    });
    return this.pending;
  }

  /** Path of the generated certificate (whether made yet or not). */
  get generatedCertPath(): string {
    return path.join(this.source.dataDir, 'alb-tls', 'cert.pem');
  }

  private async load(): Promise<TlsMaterial> {
    const { certFile, keyFile } = this.source;
    if (certFile && keyFile) return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
    const certPath = this.generatedCertPath;
    const keyPath = path.join(path.dirname(certPath), 'key.pem');
    if (existsSync(certPath) && existsSync(keyPath)) return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
    const made = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'Lambkin local ALB' }], {
      keyType: 'ec',
      curve: 'P-256',
      // 825 days: the longest validity clients (Apple's TLS policy) accept for a server certificate.
      notAfterDate: new Date(Date.now() + 825 * 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 2, value: '*.localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
      ],
    });
    mkdirSync(path.dirname(certPath), { recursive: true });
    writeFileSync(keyPath, made.private, { mode: 0o600 });
    writeFileSync(certPath, made.cert);
    return { cert: made.cert, key: made.private };
  }
}
