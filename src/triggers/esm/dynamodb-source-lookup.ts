import type { DynamodbStreamReader } from '../../services/dynamodb/streams/stream-reader.js';
import { RemoteDynamodbSource } from './remote-dynamodb-source.js';

/**
 * Whether a DynamoDB stream exists, as AWS checks when a mapping is created (`Stream not found:
 * <arn>` otherwise): in the embedded streams, or on the
 * remote endpoint the mapping's tag names.
 */
export async function dynamodbStreamExists(reader: DynamodbStreamReader, arn: string, remoteEndpoint: string | undefined): Promise<boolean> {
  if (!remoteEndpoint) return reader.exists(arn);
  const remote = new RemoteDynamodbSource(arn, remoteEndpoint);
  try {
    return await remote.exists();
  } finally {
    remote.close();
  }
}
