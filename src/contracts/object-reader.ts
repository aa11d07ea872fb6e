/**
 * The embedded S3 as other services read it in-process (Lambda deployment packages and layers):
 * one whole object. The caller bounds the size it accepts; bodies for clients always stream.
 */
export interface ObjectReadRequest {
  accountId: string;
  region: string;
  bucket: string;
  key: string;
  versionId?: string;
}

/** Why an object could not be read, in S3's words (`NoSuchKey`, `The specified key does not exist.`). */
export class ObjectReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ObjectReader {
  /** Rejects with `ObjectReadError` when the bucket, key or version is missing or not the caller's. */
  read(request: ObjectReadRequest): Promise<Buffer>;
}
