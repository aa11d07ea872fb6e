import { InvalidResourceError } from './errors.js';
import { isObject, type JsonObject } from './template-model.js';

/** `s3://bucket/key?versionId=v` as {Bucket, Key, Version?}, or undefined when it is not such a URI. */
export function parseS3Uri(uri: string): { Bucket: string; Key: string; Version?: string } | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 's3:' || !url.host || url.pathname.length <= 1) return undefined;
  const pointer: { Bucket: string; Key: string; Version?: string } = {
    Bucket: url.host,
    Key: decodeURIComponent(url.pathname.replace(/^\/+/, '')),
  };
  const versions = url.searchParams.getAll('versionId');
  if (versions.length === 1) pointer.Version = versions[0]!;
  return pointer;
}

const SSM_DYNAMIC_REFERENCE = /{{resolve:(ssm|ssm-secure|secretsmanager):[a-zA-Z0-9_.\-/]+(:\d+)?}}/;

/**
 * A Lambda `Code` (or layer `Content`) from SAM's `CodeUri`/`ContentUri`: an S3 URI string or a
 * {Bucket, Key, Version} object. `keys` names the output keys (functions use S3Bucket/S3Key/
 * S3ObjectVersion, layers the same), kept as a parameter so a caller cannot mix them up.
 */
export function s3Location(location: unknown, logicalId: string, propertyName: string): JsonObject {
  let pointer: { Bucket: unknown; Key: unknown; Version?: unknown };
  if (isObject(location)) {
    if (!location.Bucket || !location.Key) {
      throw new InvalidResourceError(logicalId, `'${propertyName}' requires Bucket and Key properties to be specified.`);
    }
    pointer = location as typeof pointer;
  } else if (typeof location === 'string') {
    const match = SSM_DYNAMIC_REFERENCE.exec(location);
    if (match && match[0].includes('/')) {
      throw new InvalidResourceError(
        logicalId,
        `Unsupported dynamic reference detected in '${propertyName}'. Please consider using alternative 'FunctionCode' object format.`,
      );
    }
    const parsed = parseS3Uri(location);
    if (!parsed) {
      throw new InvalidResourceError(
        logicalId,
        `'${propertyName}' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.`,
      );
    }
    pointer = parsed;
  } else {
    throw new InvalidResourceError(logicalId, `'${propertyName}' must be of type dict or string.`);
  }
  const code: JsonObject = { S3Bucket: pointer.Bucket, S3Key: pointer.Key };
  if (pointer.Version !== undefined) code.S3ObjectVersion = pointer.Version;
  return code;
}
