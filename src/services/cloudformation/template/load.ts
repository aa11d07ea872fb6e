import { GetObjectCommand } from '@aws-sdk/client-s3';
import { cfnErrors } from '../errors.js';
import type { AwsClients } from '../providers/clients.js';

/** TemplateBody's limit; a TemplateURL may name up to 1 MB. */
export const TEMPLATE_BODY_MAX_BYTES = 51_200;
export const TEMPLATE_URL_MAX_BYTES = 1_000_000;

/**
 * The bucket and key of a TemplateURL: virtual-hosted (`https://b.s3.amazonaws.com/k`,
 * `https://b.s3.region.amazonaws.com/k`) or path style (`https://s3.amazonaws.com/b/k`, and any
 * other host, such as Lambkin's own endpoint, `http://127.0.0.1:4566/b/k`).
 */
export function templateUrlObject(url: string): { bucket: string; key: string } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const path = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const hosted = /^(.+)\.s3([.-][a-z0-9-]+)?\.amazonaws\.com$/.exec(u.hostname);
  if (hosted) return path ? { bucket: hosted[1]!, key: path } : undefined;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return undefined;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/** The template's text from TemplateBody or TemplateURL (an object in Lambkin's S3). */
export async function loadTemplateBody(body: string | undefined, url: string | undefined, clients: () => Promise<AwsClients>): Promise<string> {
  if (body !== undefined && url !== undefined) throw cfnErrors.validation('Specify exactly one of TemplateBody or TemplateUrl.');
  if (body !== undefined) {
    if (Buffer.byteLength(body) > TEMPLATE_BODY_MAX_BYTES) {
      throw cfnErrors.validation(`1 validation error detected: Value '${body.slice(0, 20)}...' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${TEMPLATE_BODY_MAX_BYTES}`);
    }
    return body;
  }
  if (url === undefined) throw cfnErrors.validation('Either Template URL or Template Body must be specified.');
  const object = templateUrlObject(url);
  if (!object) throw cfnErrors.validation('TemplateURL must be a supported URL.');
  try {
    const got = await (await clients()).s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }));
    const text = await got.Body!.transformToString();
    if (Buffer.byteLength(text) > TEMPLATE_URL_MAX_BYTES) throw cfnErrors.validation('Template may not exceed 1000000 bytes in size.');
    return text;
  } catch (err) {
    if ((err as { code?: string }).code === 'ValidationError') throw err;
    throw cfnErrors.validation(`S3 error: Access Denied For more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html`);
  }
}
