import { SQSClient } from '@aws-sdk/client-sqs';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { rawRequest, type RawResponse } from './raw-http.js';

export function sqsClient(url: string, region = 'us-east-1'): SQSClient {
  return new SQSClient({ endpoint: url, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** A signed query-protocol (form-encoded) SQS request, as older SDKs send. */
export async function sqsQuery(baseUrl: string, params: Record<string, string>, path = '/'): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  const body = new URLSearchParams({ Version: '2012-11-05', ...params }).toString();
  const unsigned = new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
  });
  const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'sqs', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(unsigned);
  return rawRequest(baseUrl, { method: 'POST', path: url.pathname, headers: signed.headers, body });
}
