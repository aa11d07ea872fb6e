/**
 * S3's website endpoints name the bucket in the host: `<bucket>.s3-website-<region>.amazonaws.com`
 * (older regions, a dash) and `<bucket>.s3-website.<region>.amazonaws.com` (newer ones, a dot);
 * Lambkin takes both under `localhost`, and `<bucket>.s3-website.localhost` without a region.
 */
const WEBSITE_HOST = /^(.+)\.s3-website(?:[.-][a-z0-9-]+)?\.(?:localhost|amazonaws\.com(?:\.cn)?|localhost\.localstack\.cloud)$/;
/** Every request's host passes this test first: cheap, no allocation. */
const WEBSITE_MARK = /\.s3-website[.-]/i;

/** The bucket a website endpoint's host name names, or null for any other host. */
export function websiteBucketOf(hostname: string): string | null {
  if (!WEBSITE_MARK.test(hostname)) return null;
  return WEBSITE_HOST.exec(hostname.toLowerCase())?.[1] ?? null;
}

/** Whether a `Host` header (port included) names a website endpoint. */
export function isWebsiteHost(host: string): boolean {
  return WEBSITE_MARK.test(host) && websiteBucketOf(host.replace(/:\d+$/, '')) !== null;
}
