import type { EventSourceLookup } from '../../services/lambda/event-source-lookup.js';
import type { DynamodbStreamReader } from '../../services/dynamodb/streams/stream-reader.js';
import type { StreamReader } from '../../services/kinesis/stream-reader.js';
import type { SqsQueues } from '../../services/sqs/queues.js';
import { dynamodbStreamExists } from './dynamodb-source-lookup.js';
import { kinesisSourceExists } from './kinesis-source-lookup.js';
import { REMOTE_ENDPOINT_TAG } from './limits.js';
import { RemoteSqsSource } from './remote-sqs-source.js';

/**
 * Whether a mapping's event source exists, for CreateEventSourceMapping: SQS queues, Kinesis
 * streams or consumers and DynamoDB streams are looked up in the embedded services, or on the
 * remote endpoint the mapping's `lambkin:sqs-endpoint` tag names.
 */
export function eventSourceLookup(queues: SqsQueues, streams: StreamReader, dynamodbStreams: DynamodbStreamReader): EventSourceLookup {
  return {
    async exists(arn, options) {
      const service = arn.split(':')[2];
      const endpoint = options?.tags?.[REMOTE_ENDPOINT_TAG];
      if (service === 'kinesis') return kinesisSourceExists(streams, arn, endpoint);
      if (service === 'dynamodb') return dynamodbStreamExists(dynamodbStreams, arn, endpoint);
      if (service !== 'sqs') return true;
      // A cluster node holds only the queues it serves; the store has them all.
      if (!endpoint) return queues.exists(arn) || (await queues.existsInStore(arn));
      const remote = new RemoteSqsSource(arn, endpoint);
      try {
        return await remote.exists();
      } finally {
        remote.close();
      }
    },
  };
}
