import * as sdk from '@aws-sdk/client-s3';
import { errors } from '../src/services/s3/errors.js';
import { describeCatalogue, modelStatuses, recordedQuotedErrors, type Expectation } from './support/error-catalogue.js';

const SIGNATURE = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const MALFORMED_XML = 'The XML you provided was not well-formed or did not validate against our published schema';
const TOO_SMALL = 'Your proposed upload is smaller than the minimum allowed size';
const PRECONDITION = 'At least one of the pre-conditions you specified did not hold';
const UNKNOWN_KEY = 'The AWS Access Key Id you provided does not exist in our records.';

const expectations: Record<keyof typeof errors, Expectation> = {
  noSuchBucket: { error: errors.noSuchBucket('b'), code: 'NoSuchBucket', message: 'The specified bucket does not exist', source: 'recorded' },
  noSuchKey: { error: errors.noSuchKey('k'), code: 'NoSuchKey', message: 'The specified key does not exist.', source: 'recorded' },
  noSuchVersion: { error: errors.noSuchVersion('k', 'v1'), code: 'NoSuchVersion', message: 'The specified version does not exist.', source: 'aws' },
  invalidVersionId: { error: errors.invalidVersionId('v1'), code: 'InvalidArgument', message: 'Invalid version id specified', source: 'aws' },
  noSuchUpload: {
    error: errors.noSuchUpload('u1'),
    code: 'NoSuchUpload',
    message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    source: 'aws',
  },
  bucketAlreadyOwnedByYou: {
    error: errors.bucketAlreadyOwnedByYou('b'),
    code: 'BucketAlreadyOwnedByYou',
    message: 'Your previous request to create the named bucket succeeded and you already own it.',
    source: 'aws',
  },
  bucketAlreadyExists: {
    error: errors.bucketAlreadyExists('b'),
    code: 'BucketAlreadyExists',
    message:
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    source: 'aws',
  },
  bucketNotEmpty: { error: errors.bucketNotEmpty('b'), code: 'BucketNotEmpty', message: 'The bucket you tried to delete is not empty', source: 'aws' },
  invalidBucketName: { error: errors.invalidBucketName('B'), code: 'InvalidBucketName', message: 'The specified bucket is not valid.', source: 'aws' },
  invalidLocationConstraint: {
    error: errors.invalidLocationConstraint('moon-1'),
    code: 'InvalidLocationConstraint',
    message: 'The specified location-constraint is not valid',
    source: 'aws',
  },
  illegalLocationConstraint: {
    error: errors.illegalLocationConstraint(undefined),
    code: 'IllegalLocationConstraintException',
    message: 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
    source: 'aws',
  },
  preconditionFailed: { error: errors.preconditionFailed('If-Match'), code: 'PreconditionFailed', message: PRECONDITION, source: 'aws' },
  invalidRange: { error: errors.invalidRange('bytes=10-20', 5), code: 'InvalidRange', message: 'The requested range is not satisfiable', source: 'aws' },
  invalidPart: {
    error: errors.invalidPart('u1', 1, '"e"'),
    code: 'InvalidPart',
    message:
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    source: 'aws',
  },
  invalidPartOrder: {
    error: errors.invalidPartOrder('u1'),
    code: 'InvalidPartOrder',
    message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
    source: 'aws',
  },
  entityTooSmall: { error: errors.entityTooSmall(1, 5242880, 1, '"e"'), code: 'EntityTooSmall', message: TOO_SMALL, source: 'aws' },
  entityTooLarge: { error: errors.entityTooLarge(2, 1), code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size', source: 'aws' },
  badDigest: { error: errors.badDigest('a', 'b'), code: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.', source: 'aws' },
  invalidDigest: { error: errors.invalidDigest('x'), code: 'InvalidDigest', message: 'The Content-MD5 you specified was invalid.', source: 'aws' },
  checksumMismatch: {
    error: errors.checksumMismatch('crc32'),
    code: 'BadDigest',
    message: 'The CRC32 you specified did not match the calculated checksum.',
    source: 'aws',
  },
  invalidChecksum: { error: errors.invalidChecksum('CRC32'), code: 'InvalidRequest', message: 'Value for x-amz-checksum-crc32 header is invalid.', source: 'aws' },
  sha256Mismatch: {
    error: errors.sha256Mismatch('a', 'b'),
    code: 'XAmzContentSHA256Mismatch',
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    source: 'aws',
  },
  invalidContentSha256: {
    error: errors.invalidContentSha256(),
    code: 'InvalidArgument',
    message:
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, ' +
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
    source: 'aws',
  },
  chunkSignatureMismatch: { error: errors.chunkSignatureMismatch(), code: 'SignatureDoesNotMatch', message: SIGNATURE, source: 'aws' },
  incompleteBody: { error: errors.incompleteBody(), code: 'IncompleteBody', message: 'The request body terminated unexpectedly', source: 'aws' },
  malformedChunk: {
    error: errors.malformedChunk(),
    code: 'InvalidChunkSizeError',
    message: 'Only the last chunk is allowed to have a size less than 8192 bytes',
    source: 'aws',
  },
  malformedXml: { error: errors.malformedXml(), code: 'MalformedXML', message: MALFORMED_XML, source: 'aws' },
  invalidArgument: { error: errors.invalidArgument('detail', 'name', 'value'), code: 'InvalidArgument', message: 'detail', source: 'caller' },
  invalidRequest: { error: errors.invalidRequest('detail'), code: 'InvalidRequest', message: 'detail', source: 'caller' },
  copyToItself: {
    error: errors.copyToItself(),
    code: 'InvalidRequest',
    message:
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, " +
      'website redirect location or encryption attributes.',
    source: 'aws',
  },
  invalidCopySource: {
    error: errors.invalidCopySource(),
    code: 'InvalidArgument',
    message: 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
    source: 'aws',
  },
  keyTooLong: { error: errors.keyTooLong(1025), code: 'KeyTooLongError', message: 'Your key is too long', source: 'aws' },
  metadataTooLarge: {
    error: errors.metadataTooLarge(2049, 2048),
    code: 'MetadataTooLarge',
    message: 'Your metadata headers exceed the maximum allowed metadata size.',
    source: 'aws',
  },
  noSuchTagSet: { error: errors.noSuchTagSet('b'), code: 'NoSuchTagSet', message: 'The TagSet does not exist', source: 'aws' },
  invalidTag: { error: errors.invalidTag('detail'), code: 'InvalidTag', message: 'detail', source: 'caller' },
  methodNotAllowed: {
    error: errors.methodNotAllowed('GET', 'DeleteMarker'),
    code: 'MethodNotAllowed',
    message: 'The specified method is not allowed against this resource.',
    source: 'aws',
  },
  notImplemented: {
    error: errors.notImplemented(),
    code: 'NotImplemented',
    message: 'A header you provided implies functionality that is not implemented',
    source: 'aws',
  },
  unsupportedOperation: {
    error: errors.unsupportedOperation('bucket replication'),
    code: 'NotImplemented',
    message: "Lambkin's S3 does not implement bucket replication.",
    source: 'lambkin',
  },
  missingContentLength: {
    error: errors.missingContentLength(),
    code: 'MissingContentLength',
    message: 'You must provide the Content-Length HTTP header.',
    source: 'aws',
  },
  maxKeysInvalid: {
    error: errors.maxKeysInvalid('x'),
    code: 'InvalidArgument',
    message: 'Provided max-keys not an integer or within integer range',
    source: 'aws',
  },
  invalidContinuationToken: {
    error: errors.invalidContinuationToken(),
    code: 'InvalidArgument',
    message: 'The continuation token provided is incorrect',
    source: 'aws',
  },
  invalidPartNumber: {
    error: errors.invalidPartNumber('0'),
    code: 'InvalidArgument',
    message: 'Part number must be an integer between 1 and 10000, inclusive',
    source: 'aws',
  },
  invalidPartNumberRange: {
    error: errors.invalidPartNumberRange(),
    code: 'InvalidPartNumber',
    message: 'The requested partnumber is not satisfiable',
    source: 'aws',
  },
  tooManyDeleteKeys: { error: errors.tooManyDeleteKeys(), code: 'MalformedXML', message: MALFORMED_XML, source: 'aws' },
  notificationValidation: {
    error: errors.notificationValidation([{ arn: 'arn:aws:sqs:us-east-1:000000000000:q', reason: 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket' }]),
    code: 'InvalidArgument',
    message: 'Unable to validate the following destination configurations',
    source: 'aws',
  },
  overlappingConfigurations: {
    error: errors.overlappingConfigurations(),
    code: 'InvalidArgument',
    message: 'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
    source: 'aws',
  },
  unsupportedEvent: {
    error: errors.unsupportedEvent('s3:Nope'),
    code: 'InvalidArgument',
    message: 'The event is not supported for notifications',
    source: 'aws',
  },
  invalidFilterRule: {
    error: errors.invalidFilterRule(),
    code: 'InvalidArgument',
    message: 'filter rule name must be either prefix or suffix',
    source: 'aws',
  },
  duplicateFilterRule: {
    error: errors.duplicateFilterRule('prefix'),
    code: 'InvalidArgument',
    message: 'Cannot specify more than one prefix rule in a filter.',
    source: 'aws',
  },
  postNotMultipart: { error: errors.postNotMultipart(), code: 'PreconditionFailed', message: PRECONDITION, source: 'aws' },
  malformedPostRequest: {
    error: errors.malformedPostRequest(),
    code: 'MalformedPOSTRequest',
    message: 'The body of your POST request is not well-formed multipart/form-data.',
    source: 'aws',
  },
  postFieldMissing: {
    error: errors.postFieldMissing('key'),
    code: 'InvalidArgument',
    message: "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
    source: 'aws',
  },
  postFileCount: {
    error: errors.postFileCount(),
    code: 'InvalidArgument',
    message: 'POST requires exactly one file upload per request.',
    source: 'aws',
  },
  // S3's spelling, "preceeding" included.
  postPreDataTooLarge: {
    error: errors.postPreDataTooLarge(20480),
    code: 'MaxPostPreDataLengthExceeded',
    message: 'Your POST request fields preceeding the upload file was too large.',
    source: 'aws',
  },
  invalidPolicyDocument: { error: errors.invalidPolicyDocument('detail'), code: 'InvalidPolicyDocument', message: 'Invalid Policy: detail', source: 'caller' },
  policyExpired: { error: errors.policyExpired(), code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.', source: 'aws' },
  policyConditionFailed: {
    error: errors.policyConditionFailed('["eq", "$key", "a"]'),
    code: 'AccessDenied',
    message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$key", "a"]',
    source: 'aws',
  },
  policyExtraFields: {
    error: errors.policyExtraFields(['x-amz-meta-a', 'acl']),
    code: 'AccessDenied',
    message: 'Invalid according to Policy: Extra input fields: x-amz-meta-a, acl',
    source: 'aws',
  },
  postEntityTooSmall: { error: errors.postEntityTooSmall(1, 10), code: 'EntityTooSmall', message: TOO_SMALL, source: 'aws' },
  postSignatureDoesNotMatch: { error: errors.postSignatureDoesNotMatch('AKID', 'policy', 'sig'), code: 'SignatureDoesNotMatch', message: SIGNATURE, source: 'aws' },
  postAccessKeyUnknown: { error: errors.postAccessKeyUnknown('AKID'), code: 'InvalidAccessKeyId', message: UNKNOWN_KEY, source: 'aws' },
  postCredentialInvalid: {
    error: errors.postCredentialInvalid('detail', 'AKID/20260101/us-east-1/s3/aws4_request'),
    code: 'InvalidArgument',
    message: 'detail',
    source: 'caller',
  },
  postAlgorithmInvalid: {
    error: errors.postAlgorithmInvalid('AWS4-HMAC-SHA1'),
    code: 'InvalidArgument',
    message: 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
    source: 'aws',
  },
  accessDenied: { error: errors.accessDenied(), code: 'AccessDenied', message: 'Access Denied', source: 'aws' },
  invalidAccessKeyId: { error: errors.invalidAccessKeyId(), code: 'InvalidAccessKeyId', message: UNKNOWN_KEY, source: 'aws' },
  signatureDoesNotMatch: { error: errors.signatureDoesNotMatch(), code: 'SignatureDoesNotMatch', message: SIGNATURE, source: 'aws' },
  internal: { error: errors.internal(), code: 'InternalError', message: 'We encountered an internal error. Please try again.', source: 'aws' },
};

describeCatalogue({
  service: 's3',
  catalogue: errors,
  expectations,
  model: modelStatuses(sdk),
  // Amazon S3 API Reference, "Error responses": the list of error codes and their HTTP status.
  documented: {
    BadDigest: 400,
    BucketNotEmpty: 409,
    EntityTooLarge: 400,
    EntityTooSmall: 400,
    IllegalLocationConstraintException: 400,
    IncompleteBody: 400,
    InternalError: 500,
    InvalidAccessKeyId: 403,
    InvalidArgument: 400,
    InvalidBucketName: 400,
    InvalidDigest: 400,
    InvalidLocationConstraint: 400,
    InvalidPart: 400,
    InvalidPartOrder: 400,
    InvalidPolicyDocument: 400,
    InvalidRange: 416,
    InvalidTag: 400,
    KeyTooLongError: 400,
    MalformedPOSTRequest: 400,
    MalformedXML: 400,
    MetadataTooLarge: 400,
    MethodNotAllowed: 405,
    MissingContentLength: 411,
    NoSuchTagSet: 404,
    NoSuchVersion: 404,
    NotImplemented: 501,
    PreconditionFailed: 412,
    SignatureDoesNotMatch: 403,
    XAmzContentSHA256Mismatch: 400,
  },
  unlisted: {
    InvalidChunkSizeError: { status: 403, reason: 'an aws-chunked body with a short chunk before the last, as S3 answers it; not in the error table' },
    InvalidPartNumber: { status: 416, reason: 'GetObject/HeadObject partNumber past the last part, as S3 answers it; not in the error table' },
    MaxPostPreDataLengthExceeded: {
      status: 400,
      reason: 'PostObject fields before the file too large, as the catalogue restates S3; the error table spells the code MaxPostPreDataLengthExceededError',
    },
  },
  recorded: recordedQuotedErrors('S3'),
});
