import type { EventSourceLookup } from '../../services/lambda/event-source-lookup.js';
import type { SqsQueues } from '../../services/sqs/queues.js';
import { REMOTE_ENDPOINT_TAG } from './limits.js';
import { RemoteSqsSource } from './remote-sqs-source.js';

/**
 * Whether a mapping's event source exists, for CreateEventSourceMapping: SQS ARNs are looked up in
 * the embedded queues, or on the remote endpoint the mapping's `lambkin:sqs-endpoint` tag names.
 * Other kinds (Kinesis, DynamoDB Streams) are accepted until their services exist.
 */
export function eventSourceLookup(queues: SqsQueues): EventSourceLookup {
  return {
    async exists(arn, options) {
      if (arn.split(':')[2] !== 'sqs') return true;
      const endpoint = options?.tags?.[REMOTE_ENDPOINT_TAG];
      if (!endpoint) return queues.exists(arn);
      const remote = new RemoteSqsSource(arn, endpoint);
      try {
        return await remote.exists();
      } finally {
        remote.close();
      }
    },
  };
}
