import type { DynamodbStreamReader } from '../../services/dynamodb/streams/stream-reader.js';
import { dynamodbEventFormat } from './dynamodb-event.js';
import { EmbeddedDynamodbSource } from './embedded-dynamodb-source.js';
import { RemoteDynamodbSource } from './remote-dynamodb-source.js';
import type { StreamKind } from './stream-kind.js';

/** DynamoDB Streams as a stream mapping source: the embedded streams, or a remote endpoint. */
export function dynamodbStreamKind(reader: DynamodbStreamReader): StreamKind {
  return {
    service: 'dynamodb',
    format: dynamodbEventFormat,
    streamArnOf: (eventSourceArn) => eventSourceArn,
    sourceFor: (streamArn, endpoint) => (endpoint ? new RemoteDynamodbSource(streamArn, endpoint) : new EmbeddedDynamodbSource(reader, streamArn)),
  };
}
