import { createHash, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { DeliveryMessage, DeliverySink } from '../../contracts/delivery-sinks.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { S3Deps } from './deps.js';
import { errors } from './errors.js';
import { writeObject } from './object-writes.js';
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
      const body = Buffer.from(message.body, 'utf8');
      const tempPath = await deps.files.newTempPath();
      await writeFile(tempPath, body);
      const fileId = await deps.files.keep(tempPath);
      try {
        await writeObject(deps, writerContext(message), {
          bucket, key, fileId, size: body.length, etag: createHash('md5').update(body).digest('hex'),
          headers: { 'content-type': 'application/json' }, metadata: {}, tags: {},
          eventName: 'ObjectCreated:Put',
        });
      } catch (err) {
        await deps.files.remove([fileId]);
        throw err;
      }
    },
  };
}

/** Who wrote the object, as its notifications name the writer. */
function writerContext(message: DeliveryMessage): RequestContext {
  const accountId = message.sentBy?.accountId ?? '';
  return {
    requestId: randomUUID(), method: 'PUT', rawPath: '/', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0),
    accountId, region: '', accessKeyId: null, endpoint: { protocol: 'http', hostname: '127.0.0.1', port: 0 }, sourceIp: '127.0.0.1',
  };
}
