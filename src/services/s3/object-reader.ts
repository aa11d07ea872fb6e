import { readFile } from 'node:fs/promises';
import type { Store } from '../../store/database.js';
import type { ObjectFiles } from './object-files.js';
import { getBucket, latestObject, objectVersion } from './tables/objects-table.js';

/** Why an object could not be read, with S3's error code and message. */
export class ObjectReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads whole objects in-process for other services (Lambda deployment packages). The caller
 * bounds the size it accepts; bodies for clients always stream instead.
 */
export class S3ObjectReader {
  constructor(
    private readonly db: Store,
    private readonly files: ObjectFiles,
    private readonly makeError: (code: string, message: string) => Error = (code, message) => new ObjectReadError(code, message),
  ) {}

  async read(request: { accountId: string; region: string; bucket: string; key: string; versionId?: string }): Promise<Buffer> {
    const bucket = await getBucket(this.db, request.bucket);
    if (!bucket) throw this.makeError('NoSuchBucket', 'The specified bucket does not exist');
    if (bucket.account_id !== request.accountId) throw this.makeError('AccessDenied', 'Access Denied');
    if (bucket.region !== request.region) {
      throw this.makeError('PermanentRedirect', `The bucket is in this region: ${bucket.region}. Please use this region to retry the request`);
    }
    const row = request.versionId !== undefined ? await objectVersion(this.db, bucket.name, request.key, request.versionId) : await latestObject(this.db, bucket.name, request.key);
    if (!row || row.is_delete_marker) {
      throw request.versionId !== undefined ? this.makeError('NoSuchVersion', 'The specified version does not exist.') : this.makeError('NoSuchKey', 'The specified key does not exist.');
    }
    return row.file_id ? readFile(this.files.pathOf(row.file_id)) : Buffer.alloc(0);
  }
}
