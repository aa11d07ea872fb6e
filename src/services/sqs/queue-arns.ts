import type { QueueScope } from './model.js';

export function queueArn(scope: QueueScope, name: string): string {
  return `arn:aws:sqs:${scope.region}:${scope.accountId}:${name}`;
}

/** `arn:aws:sqs:<region>:<account>:<name>` → its parts, or null. */
export function parseQueueArn(arn: string): { region: string; accountId: string; name: string } | null {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs' || !parts[3] || !parts[4] || !parts[5]) return null;
  return { region: parts[3], accountId: parts[4], name: parts[5] };
}

/**
 * Queue URLs are path-style on the endpoint the client used, `http://<host>:<port>/<account>/<name>`:
 * AWS answers `https://sqs.<region>.amazonaws.com/<account>/<name>`, but a client with a custom
 * endpoint (CLI `--endpoint-url`, SDK `endpoint`) must be able to reach the URL it is handed, and
 * `sqs.<region>.localhost` does not resolve everywhere. Both forms are accepted as input.
 */
export function queueUrl(endpoint: { protocol: string; hostname: string; port: number }, accountId: string, name: string): string {
  return `${endpoint.protocol}://${endpoint.hostname}:${endpoint.port}/${accountId}/${name}`;
}

/** The account, queue name and (host-style URLs) region a queue URL or path names, or null. */
export function parseQueueUrl(url: string): { accountId: string; name: string; region?: string } | null {
  let path = url;
  let host = '';
  const m = /^[a-z]+:\/\/([^/]+)(\/.*)?$/i.exec(url);
  if (m) {
    host = m[1] ?? '';
    path = m[2] ?? '';
  }
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length !== 2) return null;
  const [accountId, name] = parts as [string, string];
  if (!/^\d{12}$/.test(accountId)) return null;
  const region = /^sqs\.([a-z0-9-]+)\./.exec(host)?.[1] ?? /^([a-z]{2}(?:-[a-z]+)+-\d)\.queue\./.exec(host)?.[1];
  return { accountId, name: decodeURIComponent(name), region };
}

/** The URL AWS names a queue by in messages that leave Lambkin's endpoint (SNS delivery failures, EventBridge DLQ attributes). */
export function awsQueueUrl(queue: { scope: QueueScope; name: string }): string {
  return `https://sqs.${queue.scope.region}.amazonaws.com/${queue.scope.accountId}/${queue.name}`;
}
