import { DescribeStreamConsumerCommand, DescribeStreamSummaryCommand, ResourceNotFoundException } from '@aws-sdk/client-kinesis';
import type { StreamReader } from '../../services/kinesis/stream-reader.js';
import { remoteKinesisClient } from './remote-kinesis-client.js';

const CONSUMER_ARN = /\/consumer\/[^/]+$/;

/**
 * Whether a Kinesis stream or registered consumer (enhanced fan-out) exists, as AWS checks when a
 * mapping is created (`Stream not found: <arn>` otherwise): in the embedded Kinesis, or on the
 * remote endpoint the mapping's tag names.
 */
export async function kinesisSourceExists(streams: StreamReader, arn: string, remoteEndpoint: string | undefined): Promise<boolean> {
  const isConsumer = CONSUMER_ARN.test(arn);
  if (!remoteEndpoint) return (await (isConsumer ? streams.describeConsumer(arn) : streams.describeStream(arn))) !== null;
  const client = remoteKinesisClient(remoteEndpoint, arn);
  try {
    if (isConsumer) await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: arn }));
    else await client.send(new DescribeStreamSummaryCommand({ StreamARN: arn }));
    return true;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return false;
    throw err;
  } finally {
    client.destroy();
  }
}
