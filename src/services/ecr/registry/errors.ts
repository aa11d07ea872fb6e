import { AwsError } from '../../../contracts/aws-error.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';

/**
 * The registry API's error codes (OCI Distribution spec, "Error Codes") with the status each is
 * sent with; the body is `{"errors":[{"code","message","detail"}]}`.
 */
export const REGISTRY_ERRORS = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 404,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  TAG_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
} as const satisfies Record<string, number>;

export type RegistryErrorCode = keyof typeof REGISTRY_ERRORS;

export function registryError(code: RegistryErrorCode, message: string, options: { status?: number; headers?: Record<string, string>; detail?: unknown } = {}): AwsError {
  return new AwsError(code, options.status ?? REGISTRY_ERRORS[code], message, {
    headers: options.headers ?? {},
    fields: options.detail === undefined ? {} : { detail: options.detail },
  });
}

export const API_VERSION_HEADER = { 'Docker-Distribution-Api-Version': 'registry/2.0' };

export function registryErrorResponse(error: AwsError): ServiceResponse {
  const code = error.code in REGISTRY_ERRORS ? error.code : 'UNSUPPORTED';
  const status = error.code in REGISTRY_ERRORS ? error.status : error.status >= 500 ? error.status : 400;
  const entry: Record<string, unknown> = { code, message: error.message };
  if ('detail' in error.fields) entry.detail = error.fields.detail;
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...API_VERSION_HEADER, ...error.headers },
    body: JSON.stringify({ errors: [entry] }),
  };
}

export const registryErrors = {
  unauthorized: (realm: string) =>
    registryError('UNAUTHORIZED', 'authentication required', { headers: { 'WWW-Authenticate': `Basic realm="${realm}",service="ecr.amazonaws.com"` } }),
  badCredentials: (realm: string) =>
    registryError('UNAUTHORIZED', 'Your authorization token is invalid or has expired.', { headers: { 'WWW-Authenticate': `Basic realm="${realm}",service="ecr.amazonaws.com"` } }),
  denied: (message: string) => registryError('DENIED', message),
  nameUnknown: (name: string, registry: string) => registryError('NAME_UNKNOWN', `The repository with name '${name}' does not exist in the registry with id '${registry}'`),
  nameInvalid: (name: string) => registryError('NAME_INVALID', `Invalid repository name '${name}'`),
  blobUnknown: (digest: string) => registryError('BLOB_UNKNOWN', 'blob unknown to registry', { detail: { digest } }),
  uploadUnknown: () => registryError('BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry'),
  uploadRange: (expected: number) => registryError('BLOB_UPLOAD_INVALID', `upload continues at byte ${expected}`, { status: 416, headers: { Range: `0-${Math.max(0, expected - 1)}` } }),
  digestInvalid: (message: string) => registryError('DIGEST_INVALID', message),
  sizeInvalid: (message: string) => registryError('SIZE_INVALID', message),
  manifestInvalid: (message: string) => registryError('MANIFEST_INVALID', message),
  manifestUnknown: (reference: string) => registryError('MANIFEST_UNKNOWN', `Requested image not found`, { detail: { reference } }),
  manifestBlobUnknown: (digests: string[]) => registryError('MANIFEST_BLOB_UNKNOWN', 'blob unknown to registry', { detail: { digests } }),
  tagImmutable: (tag: string, name: string) =>
    registryError('TAG_INVALID', `The image tag '${tag}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`),
  unsupported: (message: string) => registryError('UNSUPPORTED', message),
};
