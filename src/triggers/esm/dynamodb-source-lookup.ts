import type { DynamodbStreamReader } from '../../services/dynamodb/streams/stream-reader.js';
import { RemoteDynamodbSource } from './remote-dynamodb-source.js';

/**
 * Whether a DynamoDB stream exists, as AWS checks when a mapping is created (`Stream not found:
 * <arn>` otherwise): in the embedded streams, or on the
 * remote endpoint the mapping's tag names.
 */
export async function dynamodbStreamExists(reader: DynamodbStreamReader | undefined, arn: string, remoteEndpoint: string | undefined): Promise<boolean> {
  // Until DynamoDB runs in this process, every well-formed stream ARN is accepted.
  if (!remoteEndpoint) return reader ? reader.exists(arn) : true;
  const remote = new RemoteDynamodbSource(arn, remoteEndpoint);
  try {
    return await remote.exists();
  } finally {
    remote.close();
  }
}
