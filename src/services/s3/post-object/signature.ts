import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Credential, CredentialSource } from '../../../auth/credentials.js';
import { signingKey } from '../../../auth/sigv4-verify.js';
import { errors } from '../errors.js';
import type { FormFields } from './form.js';

/** The form's SigV4 fields, in the order S3 names the first one missing. */
const SIGV4_FIELDS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature'];
const SIGV2_FIELDS = ['AWSAccessKeyId', 'Signature'];

/**
 * Who signed a POST form. The string to sign is the `policy` field exactly as sent: SigV4 signs it
 * with the scope's signing key (hex HMAC-SHA256), SigV2 with the secret (base64 HMAC-SHA1). A form
 * with neither set of fields is anonymous, which a private bucket refuses.
 */
export async function authenticatePostForm(fields: FormFields, bucketRegion: string, credentials: CredentialSource): Promise<Credential> {
  const sigV4 = SIGV4_FIELDS.some((name) => fields.has(name));
  const sigV2 = !sigV4 && SIGV2_FIELDS.some((name) => fields.has(name));
  if (!sigV4 && !sigV2) throw errors.accessDenied();
  for (const name of sigV4 ? SIGV4_FIELDS : SIGV2_FIELDS) if (!fields.has(name)) throw errors.postFieldMissing(name);
  const policy = fields.get('policy');
  if (policy === undefined) throw errors.postFieldMissing('Policy');
  return sigV4 ? verifySigV4(fields, policy, bucketRegion, credentials) : verifySigV2(fields, policy, credentials);
}

async function verifySigV4(fields: FormFields, policy: string, bucketRegion: string, credentials: CredentialSource): Promise<Credential> {
  const algorithm = fields.get('x-amz-algorithm') ?? '';
  if (algorithm !== 'AWS4-HMAC-SHA256') throw errors.postAlgorithmInvalid(algorithm);
  const credentialText = fields.get('x-amz-credential') ?? '';
  const parts = credentialText.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1] ?? '')) {
    throw errors.postCredentialInvalid('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".', credentialText);
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (accessKeyId === '') throw errors.postCredentialInvalid('a non-empty Access Key (AKID) must be provided in the credential.', credentialText);
  if (service !== 's3') throw errors.postCredentialInvalid(`incorrect service "${service}". This endpoint belongs to "s3".`, credentialText);
  if (region !== bucketRegion) throw errors.postCredentialInvalid(`the region '${region}' is wrong; expecting '${bucketRegion}'`, credentialText, { Region: bucketRegion });
  const credential = await credentials.lookup(accessKeyId);
  if (!credential) throw errors.postAccessKeyUnknown(accessKeyId);
  const provided = fields.get('x-amz-signature') ?? '';
  const expected = createHmac('sha256', signingKey(credential.secretAccessKey, date, region, service)).update(policy).digest('hex');
  if (!sameText(expected, provided.toLowerCase())) throw errors.postSignatureDoesNotMatch(accessKeyId, policy, provided);
  return credential;
}

async function verifySigV2(fields: FormFields, policy: string, credentials: CredentialSource): Promise<Credential> {
  const accessKeyId = fields.get('awsaccesskeyid') ?? '';
  const credential = await credentials.lookup(accessKeyId);
  if (!credential) throw errors.postAccessKeyUnknown(accessKeyId);
  const provided = fields.get('signature') ?? '';
  const expected = createHmac('sha1', credential.secretAccessKey).update(policy).digest('base64');
  if (!sameText(expected, provided)) throw errors.postSignatureDoesNotMatch(accessKeyId, policy, provided);
  return credential;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
