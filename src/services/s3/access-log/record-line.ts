import { ownerXml } from '../owner.js';

/** What one request contributes to its bucket's access log. */
export interface AccessLogEntry {
  bucketOwnerAccount: string;
  bucket: string;
  timeMs: number;
  remoteIp: string;
  /** The requester's ARN; absent for anonymous requests. */
  requester?: string;
  requestId: string;
  hostId: string;
  operation: string;
  key?: string;
  /** `GET /bucket/key?query HTTP/1.1` */
  requestUri: string;
  status: number;
  errorCode?: string;
  bytesSent: number;
  objectSize?: number;
  totalTimeMs: number;
  referer?: string;
  userAgent?: string;
  versionId?: string;
  /** SigV4 for signed requests. */
  signatureVersion?: string;
  authType?: 'AuthHeader' | 'QueryString';
  hostHeader?: string;
  tls: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `[06/Feb/2019:00:00:38 +0000]` */
export function logTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `[${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000]`;
}

const dash = (value: string | number | undefined) => (value === undefined || value === '' ? '-' : String(value));
const quoted = (value: string | undefined) => `"${value === undefined || value === '' ? '-' : value.replace(/"/g, '\\"')}"`;

/**
 * One line of S3's server access log format: space-separated fields in S3's order, `-` for a field
 * with no value, the request line, referrer and user agent in quotes. Keys are URL-encoded.
 */
export function accessLogLine(e: AccessLogEntry): string {
  return [
    ownerXml(e.bucketOwnerAccount).ID,
    e.bucket,
    logTime(e.timeMs),
    e.remoteIp.replace(/^::ffff:/, ''),
    dash(e.requester),
    e.requestId,
    e.operation,
    dash(e.key === undefined ? undefined : encodeURIComponent(e.key).replace(/%2F/g, '/')),
    quoted(e.requestUri),
    e.status,
    dash(e.errorCode),
    e.bytesSent > 0 ? e.bytesSent : '-',
    dash(e.objectSize),
    e.totalTimeMs,
    e.errorCode === undefined ? e.totalTimeMs : '-',
    quoted(e.referer),
    quoted(e.userAgent),
    dash(e.versionId),
    e.hostId,
    dash(e.signatureVersion),
    // Cipher suite and TLS version: Lambkin's endpoint is plain HTTP unless a proxy terminates TLS.
    '-',
    dash(e.authType),
    dash(e.hostHeader),
    '-',
    // Access point ARN; aclRequired (no ACLs: buckets are owner-enforced).
    '-',
    '-',
  ].join(' ');
}

/**
 * The log operation (`REST.<method>.<resource>`) for a Lambkin operation name, as S3 writes it
 * (`REST.PUT.OBJECT`, `REST.GET.BUCKET`, `REST.COPY.OBJECT`, `REST.POST.UPLOADS` …).
 */
export function logOperation(operation: string, method: string): string {
  const resource = LOG_RESOURCES[operation];
  if (resource === undefined) return `REST.${method}.${operation.toUpperCase()}`;
  if (resource.startsWith('COPY.')) return `REST.${resource}`;
  return `REST.${method}.${resource}`;
}

const LOG_RESOURCES: Record<string, string> = {
  PutObject: 'OBJECT',
  GetObject: 'OBJECT',
  HeadObject: 'OBJECT',
  DeleteObject: 'OBJECT',
  CopyObject: 'COPY.OBJECT',
  PostObject: 'OBJECT',
  DeleteObjects: 'MULTI_OBJECT_DELETE',
  CreateMultipartUpload: 'UPLOADS',
  UploadPart: 'PART',
  UploadPartCopy: 'COPY.PART',
  CompleteMultipartUpload: 'UPLOAD',
  AbortMultipartUpload: 'UPLOAD',
  ListParts: 'UPLOAD',
  ListMultipartUploads: 'UPLOADS',
  ListObjects: 'BUCKET',
  ListObjectsV2: 'BUCKET',
  ListObjectVersions: 'BUCKETVERSIONS',
  HeadBucket: 'BUCKET',
  CreateBucket: 'BUCKET',
  DeleteBucket: 'BUCKET',
  GetBucketLocation: 'LOCATION',
  GetBucketVersioning: 'VERSIONING',
  PutBucketVersioning: 'VERSIONING',
  GetBucketTagging: 'TAGGING',
  PutBucketTagging: 'TAGGING',
  DeleteBucketTagging: 'TAGGING',
  GetObjectTagging: 'OBJECT_TAGGING',
  PutObjectTagging: 'OBJECT_TAGGING',
  DeleteObjectTagging: 'OBJECT_TAGGING',
  GetBucketNotificationConfiguration: 'NOTIFICATION',
  PutBucketNotificationConfiguration: 'NOTIFICATION',
  GetBucketLogging: 'LOGGING_STATUS',
  PutBucketLogging: 'LOGGING_STATUS',
  SelectObjectContent: 'OBJECT',
};
