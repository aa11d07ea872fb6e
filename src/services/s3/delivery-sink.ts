import { randomUUID } from 'node:crypto';
import type { DeliveryMessage, DeliverySink } from '../../contracts/delivery-sinks.js';
import type { S3Deps } from './deps.js';
import { errors } from './errors.js';
import { internalWriteContext, writeBytesObject } from './object-writes.js';
import { getBucket } from './tables/objects-table.js';

/** `arn:aws:s3:::<bucket>` → the bucket name, or null. */
function bucketOfArn(arn: string): string | null {
  const m = /^arn:aws[\w-]*:s3:::([^/]+)$/.exec(arn);
  return m ? m[1]! : null;
}

/**
 * How other services write records into buckets (the OnFailure destinations of stream mappings):
 * the message body becomes a JSON object under the key the message names, as a PutObject would
 * store it, notifications included. Resolves once the object is committed.
 */
export function s3DeliverySink(deps: S3Deps): DeliverySink {
  return {
    service: 's3',
    async exists(arn) {
      const bucket = bucketOfArn(arn);
      return bucket !== null && (await getBucket(deps.db, bucket)) !== undefined;
    },
    async deliver(arn: string, message: DeliveryMessage): Promise<void> {
      const bucket = bucketOfArn(arn);
      if (!bucket) throw errors.noSuchBucket(arn);
      const key = message.objectKey ?? randomUUID();
      await writeBytesObject(deps, internalWriteContext(message.sentBy?.accountId ?? ''), {
        bucket, key, body: Buffer.from(message.body, 'utf8'), contentType: 'application/json',
      });
    },
  };
}
