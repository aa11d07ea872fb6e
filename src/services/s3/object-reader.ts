import { readFile } from 'node:fs/promises';
import { ObjectReadError, type ObjectReader, type ObjectReadRequest } from '../../contracts/object-reader.js';
import type { Clock } from '../../clock.js';
import type { Store } from '../../store/database.js';
import type { ObjectFiles } from './object-files.js';
import { bucketPolicyAllowsAccount } from './access/cross-account.js';
import { getBucket, latestObject, objectVersion } from './tables/objects-table.js';

/**
 * Reads whole objects in-process for other services (Lambda deployment packages). A bucket of
 * another account is read when its policy lets the requesting account in, as AWS's service reads
 * it with the caller's credentials.
 */
export class S3ObjectReader implements ObjectReader {
  constructor(
    private readonly db: Store,
    private readonly files: ObjectFiles,
    private readonly clock: Clock,
  ) {}

  async read(request: ObjectReadRequest): Promise<Buffer> {
    const bucket = await getBucket(this.db, request.bucket);
    if (!bucket) throw new ObjectReadError('NoSuchBucket', 'The specified bucket does not exist');
    const action = request.versionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject';
    const foreign = bucket.account_id !== request.accountId;
    if (foreign && !bucketPolicyAllowsAccount(bucket, request.accountId, action, `arn:aws:s3:::${bucket.name}/${request.key}`, this.clock.now())) {
      throw new ObjectReadError('AccessDenied', 'Access Denied');
    }
    if (bucket.region !== request.region) {
      throw new ObjectReadError('PermanentRedirect', `The bucket is in this region: ${bucket.region}. Please use this region to retry the request`);
    }
    const row = request.versionId !== undefined ? await objectVersion(this.db, bucket.name, request.key, request.versionId) : await latestObject(this.db, bucket.name, request.key);
    if (!row || row.is_delete_marker) {
      throw request.versionId !== undefined ? new ObjectReadError('NoSuchVersion', 'The specified version does not exist.') : new ObjectReadError('NoSuchKey', 'The specified key does not exist.');
    }
    return row.file_id ? readFile(await this.files.localPath(row.file_id)) : Buffer.alloc(0);
  }
}
