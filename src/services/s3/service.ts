import { randomUUID } from 'node:crypto';
import { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { hostId, restXmlError } from '../../protocols/rest-xml.js';
import type { S3Deps } from './deps.js';
import { operationFor } from './dispatch.js';
import { errors } from './errors.js';
import { authorizeS3 } from './access/signed.js';
import { MAX_SINGLE_PUT_BYTES } from './limits.js';
import { requestIdOf } from './notifications/records.js';
import { accessLogEntry } from './access-log/entry.js';
import type { S3Request } from './request.js';
import { locate } from './routing.js';
import { s3ManagementCall } from './management-calls.js';
import { answerPreflight, corsHeadersFor } from './cors/answer.js';
import { authorizeAnonymous } from './access/anonymous.js';
import { getBucket, type BucketRow } from './tables/objects-table.js';
import { isWebsiteHost, websiteBucketOf } from './website/host.js';
import { serveWebsite } from './website/serve.js';

/** The embedded S3 (rest-xml, signing name `s3`). Bodies stream: the edge hands over the request unread. */
export function createS3Service(deps: S3Deps): Service {
  return {
    name: 's3',
    signingName: 's3',
    targetPrefixes: [],
    maxBodyBytes: MAX_SINGLE_PUT_BYTES,
    streamsBody: true,
    authenticatesPostForms: true,
    // S3 requests are signed (header or presigned query), so the credential scope names us; unsigned
    // browser upload forms come through `authenticatesPostForms`.
    ownsPath: () => false,
    answersUnclaimedPaths: true,
    answersAnonymousRequests: true,
    // Website endpoints (`<bucket>.s3-website.localhost`) are S3's whatever the path, and anonymous.
    servesHost: isWebsiteHost,
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const requestId = requestIdOf(ctx.requestId);
      const websiteBucket = websiteBucketOf(ctx.endpoint.hostname);
      if (websiteBucket !== null) return answerWebsite(deps, ctx, websiteBucket, requestId);
      const head = ctx.method === 'HEAD';
      const startedMs = deps.clock.now();
      let req: S3Request | undefined;
      let operation: string | undefined;
      let response: ServiceResponse;
      let errorCode: string | undefined;
      let bucketRow: BucketRow | undefined;
      try {
        req = locate(ctx);
        // The bucket's CORS rules answer a browser's preflight and label answers to requests with an Origin.
        if (req.bucket !== null && (ctx.method === 'OPTIONS' || ctx.headers.origin !== undefined)) bucketRow = await getBucket(deps.db, req.bucket);
        if (ctx.method === 'OPTIONS' && req.bucket !== null) {
          operation = 'PreflightRequest';
          if (!bucketRow) throw errors.noSuchBucket(req.bucket);
          response = answerPreflight(req, bucketRow);
        } else {
          const chosen = operationFor(req);
          operation = chosen.name;
          // Unsigned at the edge: a POST form carries its own signature; anything else is an
          // anonymous caller, let in by the bucket's policy or public ACLs.
          let charged = false;
          if (!ctx.unauthenticated) charged = (await authorizeS3(deps, req, chosen.name)).requestCharged;
          else if (chosen.name !== 'PostObject') await authorizeAnonymous(deps, req, chosen.name);
          response = await chosen.handler(deps, req);
          if (charged) response = { ...response, headers: { ...response.headers, 'x-amz-request-charged': 'requester' } };
          if (bucketRow) response = { ...response, headers: { ...response.headers, ...corsHeadersFor(req, bucketRow) } };
        }
      } catch (err) {
        const error = err instanceof AwsError ? err : errors.internal();
        if (!(err instanceof AwsError)) deps.logger.error({ err, requestId: ctx.requestId }, 's3 operation failed');
        response = restXmlError(error, requestId, { head });
        errorCode = error.code;
      }
      // Every S3 answer, errors included, carries both request ids.
      response = { ...response, headers: { ...response.headers, 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(ctx.requestId) } };
      if (deps.accessLog && req?.bucket) {
        void deps.accessLog.note(req.bucket, accessLogEntry(req, operation ?? 'Unknown', response, errorCode, requestId, startedMs, deps.clock.now()));
      }
      return response;
    },
    managementCall: (ctx: RequestContext) => s3ManagementCall(ctx),
    serializeError: (error: AwsError) => {
      const id = randomUUID();
      const response = restXmlError(inS3Terms(error), requestIdOf(id));
      return { ...response, headers: { ...response.headers, 'x-amz-id-2': hostId(id) } };
    },
    // S3 says no more than this to a denied caller.
    accessDenied: () => errors.accessDenied(),
    tooLarge: (limit: number) => errors.entityTooLarge(limit + 1, limit),
  };
}

/** A website endpoint's answer, with S3's request ids and an access log record (`WEBSITE.GET.OBJECT`). */
async function answerWebsite(deps: S3Deps, ctx: RequestContext, bucket: string, requestId: string): Promise<ServiceResponse> {
  const startedMs = deps.clock.now();
  const ids = { requestId, hostId: hostId(ctx.requestId) };
  const answer = await serveWebsite(deps, ctx, bucket, ids);
  const response = { ...answer.response, headers: { ...answer.response.headers, 'x-amz-request-id': requestId, 'x-amz-id-2': ids.hostId } };
  if (deps.accessLog) {
    const req: S3Request = { ctx, bucket, key: answer.key ?? null };
    const entry = accessLogEntry(req, 'GetObject', response, answer.errorCode, requestId, startedMs, deps.clock.now());
    void deps.accessLog.note(bucket, { ...entry, operation: `WEBSITE.${ctx.method}.OBJECT` });
  }
  return response;
}

/** Edge errors (signature, credentials) as S3 words them. */
function inS3Terms(error: AwsError): AwsError {
  switch (error.code) {
    case 'MissingAuthenticationTokenException':
      return errors.accessDenied();
    case 'UnrecognizedClientException':
      return errors.invalidAccessKeyId();
    case 'InvalidSignatureException':
      if (error.message === 'Signature expired') return new AwsError('AccessDenied', 403, 'Request has expired', { messageKey: 'Message' });
      if (error.message.startsWith('Signature expired:') || error.message.startsWith('Signature not yet current')) {
        return new AwsError('RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.', { messageKey: 'Message' });
      }
      return errors.signatureDoesNotMatch();
    case 'IncompleteSignatureException':
      return new AwsError('AuthorizationHeaderMalformed', 400, error.message, { messageKey: 'Message' });
    default:
      return error.code.endsWith('Exception') ? errors.internal() : error;
  }
}
