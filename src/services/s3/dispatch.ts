import { errors } from './errors.js';
import * as buckets from './operations/buckets.js';
import * as listing from './operations/listing.js';
import * as multipart from './operations/multipart.js';
import * as logging from './operations/logging-config.js';
import * as notifications from './operations/notification-config.js';
import * as objects from './operations/objects.js';
import { postObject } from './operations/post-object.js';
import { selectObjectContent } from './operations/select.js';
import * as tagging from './operations/tagging.js';
import type { S3Handler, S3Request } from './request.js';

/** Sub-resources S3 has that Lambkin does not implement: answered NotImplemented rather than misread. */
const UNSUPPORTED_BUCKET_SUBRESOURCES = [
  'acl', 'policy', 'cors', 'lifecycle', 'encryption', 'website', 'replication', 'object-lock', 'ownershipControls',
  'publicAccessBlock', 'accelerate', 'requestPayment', 'analytics', 'inventory', 'metrics', 'intelligent-tiering', 'policyStatus',
];

/** Picks the operation from method, bucket/key presence and sub-resource query parameters. */
export function operationFor(req: S3Request): { name: string; handler: S3Handler } {
  const { method, query, headers } = req.ctx;
  const has = (name: string) => query.has(name);
  const op = (name: string, handler: S3Handler) => ({ name, handler });
  if (req.bucket === null) {
    if (method === 'GET') return op('ListBuckets', buckets.listBuckets);
    throw errors.methodNotAllowed(method, 'SERVICE');
  }
  if (req.key === null) {
    const unsupported = UNSUPPORTED_BUCKET_SUBRESOURCES.find(has);
    if (unsupported) throw errors.unsupportedOperation(`the bucket ${unsupported} sub-resource`);
    switch (method) {
      case 'PUT':
        if (has('versioning')) return op('PutBucketVersioning', buckets.putBucketVersioning);
        if (has('tagging')) return op('PutBucketTagging', tagging.putBucketTagging);
        if (has('notification')) return op('PutBucketNotificationConfiguration', notifications.putBucketNotificationConfiguration);
        if (has('logging')) return op('PutBucketLogging', logging.putBucketLogging);
        return op('CreateBucket', buckets.createBucket);
      case 'GET':
        if (has('location')) return op('GetBucketLocation', buckets.getBucketLocation);
        if (has('versioning')) return op('GetBucketVersioning', buckets.getBucketVersioning);
        if (has('tagging')) return op('GetBucketTagging', tagging.getBucketTagging);
        if (has('notification')) return op('GetBucketNotificationConfiguration', notifications.getBucketNotificationConfiguration);
        if (has('logging')) return op('GetBucketLogging', logging.getBucketLogging);
        if (has('versions')) return op('ListObjectVersions', listing.listObjectVersions);
        if (has('uploads')) return op('ListMultipartUploads', multipart.listMultipartUploads);
        if (query.get('list-type') === '2') return op('ListObjectsV2', listing.listObjectsV2);
        return op('ListObjects', listing.listObjectsV1);
      case 'HEAD':
        return op('HeadBucket', buckets.headBucket);
      case 'DELETE':
        if (has('tagging')) return op('DeleteBucketTagging', tagging.deleteBucketTagging);
        return op('DeleteBucket', buckets.deleteBucket);
      case 'POST':
        if (has('delete')) return op('DeleteObjects', objects.deleteObjects);
        return op('PostObject', postObject);
      default:
        throw errors.methodNotAllowed(method, 'BUCKET');
    }
  }
  switch (method) {
    case 'PUT':
      if (has('uploadId') && has('partNumber')) {
        return headers['x-amz-copy-source'] !== undefined ? op('UploadPartCopy', multipart.uploadPartCopy) : op('UploadPart', multipart.uploadPart);
      }
      if (has('tagging')) return op('PutObjectTagging', tagging.putObjectTagging);
      if (has('acl') || has('retention') || has('legal-hold')) throw errors.unsupportedOperation('object ACLs and locks');
      if (headers['x-amz-copy-source'] !== undefined) return op('CopyObject', objects.copyObject);
      return op('PutObject', objects.putObject);
    case 'GET':
      if (has('uploadId')) return op('ListParts', multipart.listParts);
      if (has('tagging')) return op('GetObjectTagging', tagging.getObjectTagging);
      if (has('acl') || has('attributes') || has('torrent')) throw errors.unsupportedOperation('this object sub-resource');
      return op('GetObject', objects.getObject);
    case 'HEAD':
      return op('HeadObject', objects.getObject);
    case 'DELETE':
      if (has('uploadId')) return op('AbortMultipartUpload', multipart.abortMultipartUpload);
      if (has('tagging')) return op('DeleteObjectTagging', tagging.deleteObjectTagging);
      return op('DeleteObject', objects.deleteObjectOperation);
    case 'POST':
      if (has('uploads')) return op('CreateMultipartUpload', multipart.createMultipartUpload);
      if (has('uploadId')) return op('CompleteMultipartUpload', multipart.completeMultipartUpload);
      if (has('select')) return op('SelectObjectContent', selectObjectContent);
      if (has('restore')) throw errors.unsupportedOperation('this object operation');
      throw errors.methodNotAllowed(method, 'OBJECT');
    default:
      throw errors.methodNotAllowed(method, 'OBJECT');
  }
}
