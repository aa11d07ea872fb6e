import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { regionOfArn } from './kinesis-arns.js';

/**
 * The SDK client for a remote Kinesis endpoint (AWS itself, another Lambkin, …). It speaks
 * HTTP/1.1, which every Kinesis-compatible endpoint serves (the SDK's default for Kinesis is
 * HTTP/2, which on a cleartext endpoint only servers with h2c, like Lambkin's, understand).
 * Credentials come from the SDK's default chain; on a loopback endpoint without any, `test`/`test`.
 */
export function remoteKinesisClient(endpoint: string, arn: string): KinesisClient {
  const loopback = /^https?:\/\/(127\.|localhost|\[::1\])/.test(endpoint);
  const credentials = loopback && !process.env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'test', secretAccessKey: 'test' } : undefined;
  return new KinesisClient({ endpoint, region: regionOfArn(arn), credentials, maxAttempts: 2, requestHandler: new NodeHttpHandler() });
}
