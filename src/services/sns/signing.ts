import { createPrivateKey, generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { selfSignedCertificate } from './self-signed-certificate.js';

/** The topic's `SignatureVersion`: 1 signs with SHA1withRSA (AWS's default), 2 with SHA256withRSA. */
export type SignatureVersion = '1' | '2';

/** Signs the messages of one publish (or one confirmation) with one topic's signature version. */
export interface NotificationSigner {
  readonly version: SignatureVersion;
  /** `Signature` for a message with these fields (undefined ones are left out, as AWS leaves out an absent Subject). */
  sign(fields: Record<string, string | undefined>): string;
}

/** What a topic's SignatureVersion attribute asks for; AWS signs with version 1 unless it is `2`. */
export function signatureVersionOf(attributes: Record<string, string>): SignatureVersion {
  return attributes.SignatureVersion === '2' ? '2' : '1';
}

/**
 * The string SNS signs: each signed field as `Name\nvalue\n`, in byte order of the names. For a
 * Notification that is Message, MessageId, Subject (when present), Timestamp, TopicArn, Type; for
 * the confirmations Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
 */
export function stringToSign(fields: Record<string, string | undefined>): string {
  return Object.keys(fields)
    .filter((k) => fields[k] !== undefined)
    .sort()
    .map((k) => `${k}\n${fields[k]}\n`)
    .join('');
}

const ALGORITHM: Record<SignatureVersion, string> = { '1': 'sha1', '2': 'sha256' };

/** The server's RSA key and the X.509 certificate SigningCertURL serves for it. */
export class SigningKey {
  constructor(
    private readonly privateKey: KeyObject,
    readonly certificatePem: string,
  ) {}

  /**
   * A signer for one publish: the fan-out renders the same signed fields for every subscription of
   * a protocol, so each distinct string is signed once (an RSA signature costs about a millisecond).
   */
  signer(version: SignatureVersion): NotificationSigner {
    const signed = new Map<string, string>();
    return {
      version,
      sign: (fields) => {
        const text = stringToSign(fields);
        let signature = signed.get(text);
        if (signature === undefined) {
          signature = sign(ALGORITHM[version], Buffer.from(text, 'utf8'), this.privateKey).toString('base64');
          signed.set(text, signature);
        }
        return signature;
      },
    };
  }
}

/**
 * The signing key of this data directory, created on first use (a 2048-bit RSA key takes a few
 * hundred milliseconds, which servers that never use SNS should not pay) and kept, because
 * rendered messages wait in the delivery queue across restarts and must still verify.
 */
export class SigningKeys {
  private loading: Promise<SigningKey> | undefined;

  constructor(private readonly dir: string) {}

  get(): Promise<SigningKey> {
    this.loading ??= loadOrCreate(this.dir).catch((err: unknown) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }
}

async function loadOrCreate(dir: string): Promise<SigningKey> {
  const keyFile = path.join(dir, 'signing-key.pem');
  const certFile = path.join(dir, 'signing-cert.pem');
  if (existsSync(keyFile) && existsSync(certFile)) {
    return new SigningKey(createPrivateKey(readFileSync(keyFile, 'utf8')), readFileSync(certFile, 'utf8'));
  }
  // Off the event loop (the thread pool): a 2048-bit key takes a few hundred milliseconds.
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const now = Date.now();
  const certificatePem = selfSignedCertificate({
    commonName: 'sns.amazonaws.com',
    privateKey,
    publicKey,
    notBefore: new Date(now - 24 * 3600_000),
    notAfter: new Date(now + 20 * 365 * 24 * 3600_000),
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The certificate last and each by rename: a crash between them leaves a key without a
  // certificate, which the next start replaces, never a certificate for a lost key.
  writeAtomically(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, 0o600);
  writeAtomically(certFile, certificatePem, 0o644);
  return new SigningKey(privateKey, certificatePem);
}

function writeAtomically(file: string, text: string, mode: number): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, file);
}
