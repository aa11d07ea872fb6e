import { errors } from './errors.js';
import * as buckets from './operations/buckets.js';
import * as attributes from './operations/object-attributes.js';
import * as acl from './operations/acl-config.js';
import * as cors from './operations/cors-config.js';
import * as encryption from './operations/encryption-config.js';
import * as ownership from './operations/ownership-config.js';
import * as payment from './operations/request-payment.js';
import * as lifecycle from './operations/lifecycle-config.js';
import * as lock from './operations/object-lock.js';
import * as policy from './operations/bucket-policy.js';
import * as listing from './operations/listing.js';
import * as multipart from './operations/multipart.js';
import * as logging from './operations/logging-config.js';
import * as notifications from './operations/notification-config.js';
import * as objects from './operations/objects.js';
import { postObject } from './operations/post-object.js';
import { selectObjectContent } from './operations/select.js';
import * as tagging from './operations/tagging.js';
import * as website from './operations/website-config.js';
import type { S3Handler, S3Request } from './request.js';

/** Sub-resources S3 has that Lambkin does not implement: answered NotImplemented rather than misread. */
const UNSUPPORTED_BUCKET_SUBRESOURCES = [
  'replication',
  'accelerate', 'analytics', 'inventory', 'metrics', 'intelligent-tiering', 'policyStatus',
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
        if (has('policy')) return op('PutBucketPolicy', policy.putBucketPolicy);
        if (has('cors')) return op('PutBucketCors', cors.putBucketCors);
        if (has('lifecycle')) return op('PutBucketLifecycleConfiguration', lifecycle.putBucketLifecycleConfiguration);
        if (has('acl')) return op('PutBucketAcl', acl.putBucketAcl);
        if (has('publicAccessBlock')) return op('PutPublicAccessBlock', acl.putPublicAccessBlock);
        if (has('ownershipControls')) return op('PutBucketOwnershipControls', ownership.putBucketOwnershipControls);
        if (has('encryption')) return op('PutBucketEncryption', encryption.putBucketEncryption);
        if (has('requestPayment')) return op('PutBucketRequestPayment', payment.putBucketRequestPayment);
        if (has('object-lock')) return op('PutObjectLockConfiguration', lock.putObjectLockConfiguration);
        if (has('website')) return op('PutBucketWebsite', website.putBucketWebsite);
        return op('CreateBucket', buckets.createBucket);
      case 'GET':
        if (has('location')) return op('GetBucketLocation', buckets.getBucketLocation);
        if (has('versioning')) return op('GetBucketVersioning', buckets.getBucketVersioning);
        if (has('tagging')) return op('GetBucketTagging', tagging.getBucketTagging);
        if (has('notification')) return op('GetBucketNotificationConfiguration', notifications.getBucketNotificationConfiguration);
        if (has('logging')) return op('GetBucketLogging', logging.getBucketLogging);
        if (has('policy')) return op('GetBucketPolicy', policy.getBucketPolicy);
        if (has('cors')) return op('GetBucketCors', cors.getBucketCors);
        if (has('lifecycle')) return op('GetBucketLifecycleConfiguration', lifecycle.getBucketLifecycleConfiguration);
        if (has('acl')) return op('GetBucketAcl', acl.getBucketAcl);
        if (has('publicAccessBlock')) return op('GetPublicAccessBlock', acl.getPublicAccessBlock);
        if (has('ownershipControls')) return op('GetBucketOwnershipControls', ownership.getBucketOwnershipControls);
        if (has('encryption')) return op('GetBucketEncryption', encryption.getBucketEncryption);
        if (has('requestPayment')) return op('GetBucketRequestPayment', payment.getBucketRequestPayment);
        if (has('object-lock')) return op('GetObjectLockConfiguration', lock.getObjectLockConfiguration);
        if (has('website')) return op('GetBucketWebsite', website.getBucketWebsite);
        if (has('versions')) return op('ListObjectVersions', listing.listObjectVersions);
        if (has('uploads')) return op('ListMultipartUploads', multipart.listMultipartUploads);
        if (query.get('list-type') === '2') return op('ListObjectsV2', listing.listObjectsV2);
        return op('ListObjects', listing.listObjectsV1);
      case 'HEAD':
        return op('HeadBucket', buckets.headBucket);
      case 'DELETE':
        if (has('tagging')) return op('DeleteBucketTagging', tagging.deleteBucketTagging);
        if (has('policy')) return op('DeleteBucketPolicy', policy.deleteBucketPolicy);
        if (has('cors')) return op('DeleteBucketCors', cors.deleteBucketCors);
        if (has('lifecycle')) return op('DeleteBucketLifecycle', lifecycle.deleteBucketLifecycle);
        if (has('publicAccessBlock')) return op('DeletePublicAccessBlock', acl.deletePublicAccessBlock);
        if (has('ownershipControls')) return op('DeleteBucketOwnershipControls', ownership.deleteBucketOwnershipControls);
        if (has('encryption')) return op('DeleteBucketEncryption', encryption.deleteBucketEncryption);
        if (has('website')) return op('DeleteBucketWebsite', website.deleteBucketWebsite);
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
      if (has('acl')) return op('PutObjectAcl', acl.putObjectAcl);
      if (has('retention')) return op('PutObjectRetention', lock.putObjectRetention);
      if (has('legal-hold')) return op('PutObjectLegalHold', lock.putObjectLegalHold);
      if (headers['x-amz-copy-source'] !== undefined) return op('CopyObject', objects.copyObject);
      return op('PutObject', objects.putObject);
    case 'GET':
      if (has('uploadId')) return op('ListParts', multipart.listParts);
      if (has('tagging')) return op('GetObjectTagging', tagging.getObjectTagging);
      if (has('acl')) return op('GetObjectAcl', acl.getObjectAcl);
      if (has('attributes')) return op('GetObjectAttributes', attributes.getObjectAttributes);
      if (has('retention')) return op('GetObjectRetention', lock.getObjectRetention);
      if (has('legal-hold')) return op('GetObjectLegalHold', lock.getObjectLegalHold);
      if (has('torrent')) throw errors.unsupportedOperation('this object sub-resource');
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
