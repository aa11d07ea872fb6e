import { parseXml, xmlText, type XmlObject } from '../../protocols/rest-xml.js';
import { errors } from './errors.js';
import { header, type S3Request } from './request.js';
import type { BucketRow, StoredHeaders } from './tables/objects-table.js';

/** How an object (or a bucket's default) is encrypted at rest, as S3 names it. */
export interface EncryptionSetting {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsKeyId?: string;
  bucketKeyEnabled: boolean;
}

const ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);
const isKms = (algorithm: string) => algorithm !== 'AES256';

/** Every bucket encrypts with SSE-S3 unless told otherwise (AWS's default since January 2023). */
const SSE_S3: EncryptionSetting = { algorithm: 'AES256', bucketKeyEnabled: false };

export function bucketEncryption(bucket: BucketRow): EncryptionSetting {
  return bucket.encryption ? (JSON.parse(bucket.encryption) as EncryptionSetting) : SSE_S3;
}

/** `<ServerSideEncryptionConfiguration>` as PutBucketEncryption takes it (S3 keeps one rule). */
export function parseEncryptionConfiguration(text: string): EncryptionSetting {
  const root = parseXml(text, ['Rule'])?.ServerSideEncryptionConfiguration as Record<string, unknown> | undefined;
  const rule = (root && typeof root === 'object' ? (root.Rule as Array<Record<string, unknown>> | undefined) : undefined)?.[0];
  if (!rule || typeof rule !== 'object') throw errors.malformedXml();
  const byDefault = rule.ApplyServerSideEncryptionByDefault as Record<string, unknown> | undefined;
  if (!byDefault || typeof byDefault !== 'object') throw errors.malformedXml();
  const algorithm = xmlText(byDefault.SSEAlgorithm);
  if (algorithm === undefined || !ALGORITHMS.has(algorithm)) throw errors.malformedXml();
  const kmsKeyId = xmlText(byDefault.KMSMasterKeyID);
  if (kmsKeyId !== undefined && !isKms(algorithm)) throw errors.kmsKeyNotApplicable();
  const bucketKey = xmlText(rule.BucketKeyEnabled);
  if (bucketKey !== undefined && bucketKey !== 'true' && bucketKey !== 'false') throw errors.malformedXml();
  return { algorithm: algorithm as EncryptionSetting['algorithm'], ...(kmsKeyId ? { kmsKeyId } : {}), bucketKeyEnabled: bucketKey === 'true' };
}

export function encryptionConfigurationXml(setting: EncryptionSetting): XmlObject {
  return {
    Rule: {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: setting.algorithm, ...(setting.kmsKeyId ? { KMSMasterKeyID: setting.kmsKeyId } : {}) },
      BucketKeyEnabled: setting.bucketKeyEnabled,
    },
  };
}

/**
 * The encryption a write asks for with `x-amz-server-side-encryption` (and its KMS key and bucket
 * key headers), checked as S3 checks them, or the bucket's default. Customer-provided keys (SSE-C)
 * need TLS on AWS; Lambkin stores no key material, so on its HTTPS port they are not implemented.
 */
export function requestedEncryption(req: S3Request, bucket: BucketRow): EncryptionSetting {
  if (header(req, 'x-amz-server-side-encryption-customer-algorithm') !== undefined) {
    if (req.ctx.endpoint.protocol === 'http') throw errors.customerKeyOverHttp();
    throw errors.unsupportedOperation('server-side encryption with customer-provided keys (SSE-C)');
  }
  const algorithm = header(req, 'x-amz-server-side-encryption');
  const kmsKeyId = header(req, 'x-amz-server-side-encryption-aws-kms-key-id');
  const bucketKey = header(req, 'x-amz-server-side-encryption-bucket-key-enabled');
  if (algorithm === undefined) {
    if (kmsKeyId !== undefined) throw errors.kmsKeyWithoutKms('x-amz-server-side-encryption-aws-kms-key-id', kmsKeyId);
    return bucketEncryption(bucket);
  }
  if (!ALGORITHMS.has(algorithm)) throw errors.unsupportedEncryption(algorithm);
  if (kmsKeyId !== undefined && !isKms(algorithm)) throw errors.kmsKeyWithoutKms('x-amz-server-side-encryption-aws-kms-key-id', kmsKeyId);
  const fallback = bucketEncryption(bucket);
  // A KMS request without a key takes the bucket's default key when the default is KMS too.
  const key = kmsKeyId ?? (isKms(algorithm) && isKms(fallback.algorithm) ? fallback.kmsKeyId : undefined);
  return {
    algorithm: algorithm as EncryptionSetting['algorithm'],
    ...(key ? { kmsKeyId: key } : {}),
    bucketKeyEnabled: isKms(algorithm) && (bucketKey !== undefined ? bucketKey.toLowerCase() === 'true' : fallback.bucketKeyEnabled),
  };
}

/** The headers S3 stores with the object and answers on PUT, GET and HEAD. */
export function encryptionHeaders(setting: EncryptionSetting): StoredHeaders {
  const out: StoredHeaders = { 'x-amz-server-side-encryption': setting.algorithm };
  if (setting.kmsKeyId) out['x-amz-server-side-encryption-aws-kms-key-id'] = setting.kmsKeyId;
  if (setting.bucketKeyEnabled) out['x-amz-server-side-encryption-bucket-key-enabled'] = 'true';
  return out;
}

const ENCRYPTION_HEADERS = ['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id', 'x-amz-server-side-encryption-bucket-key-enabled'] as const;

/** Stored headers with the encryption replaced (a copy takes the request's or the target bucket's, not its source's). */
export function withEncryption(headers: StoredHeaders, setting: EncryptionSetting): StoredHeaders {
  const out = { ...headers };
  for (const name of ENCRYPTION_HEADERS) delete out[name];
  return { ...out, ...encryptionHeaders(setting) };
}

/** The encryption headers of stored object headers; SSE-S3 for objects stored before they were kept. */
export function storedEncryptionHeaders(headers: StoredHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ENCRYPTION_HEADERS) if (headers[name] !== undefined) out[name] = headers[name]!;
  return out['x-amz-server-side-encryption'] ? out : { 'x-amz-server-side-encryption': 'AES256' };
}
