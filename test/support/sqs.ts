import { GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
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

/**
 * Sets a queue policy letting `service` (`s3.amazonaws.com`, `sns.amazonaws.com`,
 * `events.amazonaws.com`) send to the queue for `sourceArn`, as users must before S3, SNS or
 * EventBridge can deliver into a queue. Returns the queue's ARN.
 */
export async function allowServiceToSend(sqs: SQSClient, queueUrl: string, service: string, sourceArn = '*'): Promise<string> {
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const statement = { Sid: `allow-${service}`, Effect: 'Allow', Principal: { Service: service }, Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnLike: { 'aws:SourceArn': sourceArn } } };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) } }));
  return queueArn;
}
