import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export const ACCOUNT = '000000000000';

/**
 * The SDK's Kinesis client speaks HTTP/2 by default (for SubscribeToShard); the edge speaks both,
 * and these tests pin HTTP/1.1 (the transport of the CLI, boto3 and most SDKs) so a failure points
 * at Kinesis rather than the transport. `test/edge-http2.test.ts` drives the default client.
 */
export function kinesisClient(url: string, options: { systemClockOffset?: number } = {}): KinesisClient {
  return new KinesisClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
    ...options,
  });
}

/** Waits (briefly, polling) until a stream reports `status`. */
export async function waitForStatus(client: KinesisClient, name: string, status = 'ACTIVE', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (StreamDescriptionSummary?.StreamStatus === status) return;
    if (Date.now() > deadline) throw new Error(`stream ${name} is ${StreamDescriptionSummary?.StreamStatus}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
