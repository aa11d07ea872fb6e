import { AwsError } from '../../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../../contracts/request-context.js';
import { headerValue } from '../../../protocols/header-value.js';
import { authorizeAnonymous } from '../access/anonymous.js';
import { answerPreflight, corsHeadersFor } from '../cors/answer.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { getObject } from '../operations/objects.js';
import { safeDecode } from '../routing.js';
import { getBucket, latestObject, parseJson, type BucketRow, type ObjectRow, type StoredHeaders } from '../tables/objects-table.js';
import { storedWebsite, type WebsiteConfiguration } from './config.js';
import { websiteErrorPage } from './error-page.js';
import { keyPath, ruleAfterError, ruleBeforeLookup, ruleRedirect, type RequestOrigin } from './routing-rules.js';

export interface WebsiteAnswer {
  response: ServiceResponse;
  /** The object key the answer is about, for the access log. */
  key?: string;
  errorCode?: string;
}

/** An object a visitor may read, or the error they get instead. */
type Lookup = { row: ObjectRow } | { error: AwsError };

/** Conditional and range headers apply to the page asked for, never to an error document sent instead. */
const REQUEST_ONLY_HEADERS = ['range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'];

/**
 * A request to a bucket's website endpoint, answered as S3 answers it: every visitor is anonymous,
 * only GET and HEAD are served, a path ending in `/` (or the root) reads the index document, and
 * errors become HTML pages or the bucket's error document (sent with the error's status). The
 * bucket's CORS rules answer preflights and label answers to requests with an Origin. Routing
 * rules without an error condition redirect before anything is read; those with one, after the
 * lookup failed with that status.
 */
export async function serveWebsite(deps: S3Deps, ctx: RequestContext, bucketName: string, ids: { requestId: string; hostId: string }): Promise<WebsiteAnswer> {
  const head = ctx.method === 'HEAD';
  const page = (error: AwsError, errorDocumentFailure?: AwsError): WebsiteAnswer => ({
    response: websiteErrorPage(error, ids, { head, ...(errorDocumentFailure ? { errorDocumentFailure } : {}) }),
    errorCode: error.code,
  });
  try {
    const bucket = await getBucket(deps.db, bucketName);
    if (!bucket) return page(errors.noSuchBucket(bucketName));
    const config = storedWebsite(bucket.website);
    if (!config) return page(errors.noSuchWebsiteConfiguration(bucket.name));
    const key = safeDecode(ctx.rawPath.startsWith('/') ? ctx.rawPath.slice(1) : ctx.rawPath);
    const request = { ctx, bucket: bucket.name, key: key === '' ? null : key };
    // The bucket's CORS rules hold on its website too: a page elsewhere loading fonts or JSON from it.
    if (ctx.method === 'OPTIONS') return { response: answerPreflight(request, bucket), key };
    const answer = await visitSite(deps, ctx, bucket, config, key, page);
    return { ...answer, response: { ...answer.response, headers: { ...answer.response.headers, ...corsHeadersFor(request, bucket) } } };
  } catch (err) {
    if (err instanceof AwsError) return page(err);
    deps.logger.error({ err, requestId: ctx.requestId }, 's3 website request failed');
    return page(errors.internal());
  }
}

/** A GET or HEAD of a page (anything else is 405): redirects, the object, or the error document. */
async function visitSite(
  deps: S3Deps,
  ctx: RequestContext,
  bucket: BucketRow,
  config: WebsiteConfiguration,
  key: string,
  page: (error: AwsError, errorDocumentFailure?: AwsError) => WebsiteAnswer,
): Promise<WebsiteAnswer> {
  const head = ctx.method === 'HEAD';
  if (ctx.method !== 'GET' && !head) return page(errors.methodNotAllowed(ctx.method, 'OBJECT'));
  const origin: RequestOrigin = { protocol: ctx.endpoint.protocol, host: headerValue(ctx.headers.host) ?? ctx.endpoint.hostname };
  if (config.redirectAllRequestsTo) {
    const { hostName, protocol } = config.redirectAllRequestsTo;
    return { response: redirect(301, `${protocol ?? origin.protocol}://${hostName}${ctx.rawPath}`) };
  }
  // Query parameters (versionId, response-*) mean nothing to a website.
  const visit: RequestContext = { ...ctx, query: new URLSearchParams() };
  const rules = config.routingRules ?? [];
  const early = ruleBeforeLookup(rules, key);
  if (early) {
    const { status, location } = ruleRedirect(early, key, origin);
    return { response: redirect(status, location), key };
  }
  const target = key === '' || key.endsWith('/') ? `${key}${config.indexSuffix ?? ''}` : key;
  const found = await lookUp(deps, visit, bucket, target);
  if ('row' in found) return { response: await objectAnswer(deps, visit, bucket, found.row), key: target };
  // `docs` missing but `docs/index.html` there: S3 sends the browser to the folder, so relative links work.
  if (found.error.code === 'NoSuchKey' && target === key && key !== '') {
    const folderIndex = await latestObject(deps.db, bucket.name, `${key}/${config.indexSuffix ?? ''}`);
    if (folderIndex && !folderIndex.is_delete_marker) return { response: redirect(302, `/${keyPath(key)}/`), key: target };
  }
  const late = ruleAfterError(rules, key, found.error.status);
  if (late) {
    const { status, location } = ruleRedirect(late, key, origin);
    return { response: redirect(status, location), key: target, errorCode: found.error.code };
  }
  return { ...(await errorAnswer(deps, visit, bucket, config, found.error, page)), key: target };
}

/** The bucket's error document with the error's status, or S3's page saying why it could not be sent. */
async function errorAnswer(
  deps: S3Deps,
  visit: RequestContext,
  bucket: BucketRow,
  config: WebsiteConfiguration,
  error: AwsError,
  page: (error: AwsError, errorDocumentFailure?: AwsError) => WebsiteAnswer,
): Promise<WebsiteAnswer> {
  // S3 sends the error document for 4XX errors only.
  if (config.errorDocumentKey === undefined || error.status < 400 || error.status >= 500) return page(error);
  const document = await lookUp(deps, visit, bucket, config.errorDocumentKey);
  if (!('row' in document)) return page(error, document.error);
  const headers = { ...visit.headers };
  for (const name of REQUEST_ONLY_HEADERS) delete headers[name];
  return { response: await objectAnswer(deps, { ...visit, headers }, bucket, document.row, error.status), errorCode: error.code };
}

/**
 * The latest version of `key` if an anonymous visitor may read it. A missing key is a 404 for a
 * visitor the bucket would let read it (or list the bucket); otherwise S3 says no more than 403.
 */
async function lookUp(deps: S3Deps, visit: RequestContext, bucket: BucketRow, key: string): Promise<Lookup> {
  const row = await latestObject(deps.db, bucket.name, key);
  const exists = row !== undefined && row.is_delete_marker === 0;
  if (await anonymousMay(deps, visit, bucket, key, 'GetObject')) return exists ? { row } : { error: errors.noSuchKey(key) };
  if (!exists && (await anonymousMay(deps, visit, bucket, null, 'ListObjects'))) return { error: errors.noSuchKey(key) };
  return { error: errors.accessDenied() };
}

/** The bucket policy, ACLs and Block Public Access, judged as for any unsigned request. */
async function anonymousMay(deps: S3Deps, visit: RequestContext, bucket: BucketRow, key: string | null, operation: string): Promise<boolean> {
  try {
    await authorizeAnonymous(deps, { ctx: visit, bucket: bucket.name, key }, operation);
    return true;
  } catch (err) {
    if (err instanceof AwsError && err.status === 403) return false;
    throw err;
  }
}

/** The object itself, or the redirect its `x-amz-website-redirect-location` names; `status` replaces 200 (error documents). */
async function objectAnswer(deps: S3Deps, visit: RequestContext, bucket: BucketRow, row: ObjectRow, status?: number): Promise<ServiceResponse> {
  const redirectTo = parseJson<StoredHeaders>(row.headers, {})['x-amz-website-redirect-location'];
  if (redirectTo !== undefined) return redirect(301, redirectTo);
  const response = await getObject(deps, { ctx: visit, bucket: bucket.name, key: row.key });
  return status !== undefined ? { ...response, status } : response;
}

function redirect(status: number, location: string): ServiceResponse {
  return { status, headers: { location }, body: '' };
}
