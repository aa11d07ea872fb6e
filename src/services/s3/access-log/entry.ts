import type { ServiceResponse } from '../../../contracts/request-context.js';
import { headerValue } from '../../../protocols/header-value.js';
import { hostId } from '../../../protocols/rest-xml.js';
import type { S3Request } from '../request.js';
import { logOperation, type AccessLogEntry } from './record-line.js';

/** The access log record of one answered request (the bucket and its owner are added when it is kept). */
export function accessLogEntry(
  req: S3Request,
  operation: string,
  response: ServiceResponse,
  errorCode: string | undefined,
  requestId: string,
  startedMs: number,
  endedMs: number,
): Omit<AccessLogEntry, 'bucketOwnerAccount' | 'bucket'> {
  const { ctx } = req;
  const h = (name: string) => headerValue(ctx.headers[name]);
  const headers = response.headers ?? {};
  const bytesSent = headers['content-length'] !== undefined ? Number(headers['content-length']) : response.body ? Buffer.byteLength(response.body) : 0;
  const query = ctx.query.toString();
  const presigned = ctx.query.has('X-Amz-Signature');
  const signed = presigned || h('authorization') !== undefined;
  const uploadedSize = h('x-amz-decoded-content-length') ?? h('content-length');
  const objectSize =
    operation === 'GetObject' || operation === 'HeadObject' ? sizeOfRange(headers) : operation === 'PutObject' || operation === 'UploadPart' ? Number(uploadedSize ?? 0) : undefined;
  return {
    timeMs: startedMs,
    remoteIp: ctx.sourceIp,
    ...(ctx.principal ? { requester: ctx.principal.arn } : {}),
    requestId,
    hostId: hostId(ctx.requestId),
    operation: logOperation(operation, ctx.method),
    ...(req.key !== null ? { key: req.key } : {}),
    requestUri: `${ctx.method} ${ctx.rawPath}${query ? `?${query}` : ''} HTTP/1.1`,
    status: response.status,
    ...(errorCode !== undefined ? { errorCode } : {}),
    bytesSent: ctx.method === 'HEAD' ? 0 : bytesSent,
    ...(objectSize !== undefined && Number.isFinite(objectSize) ? { objectSize } : {}),
    totalTimeMs: Math.max(0, endedMs - startedMs),
    ...(h('referer') !== undefined ? { referer: h('referer')! } : {}),
    ...(h('user-agent') !== undefined ? { userAgent: h('user-agent')! } : {}),
    ...(headers['x-amz-version-id'] !== undefined ? { versionId: headers['x-amz-version-id'] } : {}),
    ...(signed ? { signatureVersion: 'SigV4', authType: presigned ? ('QueryString' as const) : ('AuthHeader' as const) } : {}),
    ...(h('host') !== undefined ? { hostHeader: h('host')! } : {}),
    tls: ctx.endpoint.protocol === 'https',
  };
}

/** The whole object's size from a GET/HEAD answer (`content-range: bytes a-b/size` when ranged). */
function sizeOfRange(headers: Record<string, string>): number | undefined {
  const range = headers['content-range'];
  if (range !== undefined) return Number(range.slice(range.lastIndexOf('/') + 1));
  return headers['content-length'] !== undefined ? Number(headers['content-length']) : undefined;
}
