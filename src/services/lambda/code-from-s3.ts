import { ObjectReadError, type ObjectReader } from '../../contracts/object-reader.js';
import { readZipBytes, type CodePackage } from './code-package.js';
import { errors, lambdaError } from './errors.js';
import type { Scope } from './model.js';

/** The embedded S3 as Lambda sees it: read one object (a deployment package) in-process. */
export type S3CodeSource = ObjectReader;

/** `Code`/`Content` with `S3Bucket`/`S3Key`/`S3ObjectVersion` → the package, or AWS's GetObject error. */
export async function readS3Code(source: S3CodeSource | undefined, scope: Scope, code: Record<string, unknown>): Promise<CodePackage> {
  const bucket = code.S3Bucket;
  const key = code.S3Key;
  const versionId = code.S3ObjectVersion;
  if (typeof bucket !== 'string' || typeof key !== 'string') {
    throw lambdaError('InvalidParameterValueException', 'Please provide a source for function code.');
  }
  if (!source) throw errors.s3BucketMissing();
  let bytes: Buffer;
  try {
    bytes = await source.read({ ...scope, bucket, key, ...(typeof versionId === 'string' ? { versionId } : {}) });
  } catch (err) {
    if (err instanceof ObjectReadError) {
      throw lambdaError('InvalidParameterValueException', `Error occurred while GetObject. S3 Error Code: ${err.code}. S3 Error Message: ${err.message}`);
    }
    throw err;
  }
  return readZipBytes(bytes);
}
