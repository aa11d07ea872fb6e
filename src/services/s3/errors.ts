import { AwsError } from '../../contracts/aws-error.js';

/** Every S3 error Lambkin sends: code, HTTP status and message as S3 spells them; extra members become XML elements. */
function s3Error(code: string, status: number, message: string, fields: Record<string, string | number | undefined> = {}, headers: Record<string, string> = {}): AwsError {
  const present: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) present[k] = v;
  return new AwsError(code, status, message, { messageKey: 'Message', fields: present, headers });
}

export const errors = {
  noSuchBucket: (bucket: string) => s3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket }),
  noSuchKey: (key: string, headers: Record<string, string> = {}) => s3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }, headers),
  noSuchVersion: (key: string, versionId: string) =>
    s3Error('NoSuchVersion', 404, 'The specified version does not exist.', { Key: key, VersionId: versionId }),
  invalidVersionId: (versionId: string) => s3Error('InvalidArgument', 400, 'Invalid version id specified', { ArgumentName: 'versionId', ArgumentValue: versionId }),
  noSuchUpload: (uploadId: string) =>
    s3Error('NoSuchUpload', 404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId }),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    s3Error('BucketAlreadyOwnedByYou', 409, 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket }),
  bucketAlreadyExists: (bucket: string) =>
    s3Error('BucketAlreadyExists', 409, 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { BucketName: bucket }),
  bucketNotEmpty: (bucket: string) => s3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', { BucketName: bucket }),
  invalidBucketName: (bucket: string) => s3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', { BucketName: bucket }),
  invalidLocationConstraint: (location: string) =>
    s3Error('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', { LocationConstraint: location }),
  illegalLocationConstraint: (location: string | undefined) =>
    s3Error(
      'IllegalLocationConstraintException',
      400,
      `The ${location ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    ),
  preconditionFailed: (condition: string) => s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: condition }),
  invalidRange: (range: string, size: number) =>
    s3Error('InvalidRange', 416, 'The requested range is not satisfiable', { RangeRequested: range, ActualObjectSize: size }, { 'content-range': `bytes */${size}` }),
  invalidPart: (uploadId: string, partNumber: number, etag: string) =>
    s3Error(
      'InvalidPart',
      400,
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      { UploadId: uploadId, PartNumber: partNumber, ETag: etag },
    ),
  invalidPartOrder: (uploadId: string) =>
    s3Error('InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts must be ordered by part number.', { UploadId: uploadId }),
  entityTooSmall: (size: number, min: number, partNumber: number, etag: string) =>
    s3Error('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size', { ProposedSize: size, MinSizeAllowed: min, PartNumber: partNumber, ETag: etag }),
  entityTooLarge: (size: number, max: number) =>
    s3Error('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: size, MaxSizeAllowed: max }),
  badDigest: (expected: string, calculated: string) =>
    s3Error('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.', { ExpectedDigest: expected, CalculatedDigest: calculated }),
  invalidDigest: (given: string) => s3Error('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.', { 'Content-MD5': given }),
  checksumMismatch: (algorithm: string) => s3Error('BadDigest', 400, `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`),
  unsupportedChecksumAlgorithm: (value: string) =>
    s3Error(
      'InvalidArgument',
      400,
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
      { ArgumentName: 'x-amz-checksum-algorithm', ArgumentValue: value },
    ),
  invalidChecksum: (algorithm: string) =>
    s3Error('InvalidRequest', 400, `Value for x-amz-checksum-${algorithm.toLowerCase()} header is invalid.`),
  sha256Mismatch: (client: string, computed: string) =>
    s3Error('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed.", {
      ClientComputedContentSHA256: client,
      S3ComputedContentSHA256: computed,
    }),
  invalidContentSha256: () => s3Error('InvalidArgument', 400, 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.', { ArgumentName: 'x-amz-content-sha256' }),
  chunkSignatureMismatch: () =>
    s3Error('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'),
  incompleteBody: () => s3Error('IncompleteBody', 400, 'The request body terminated unexpectedly'),
  malformedChunk: () => s3Error('InvalidChunkSizeError', 403, 'Only the last chunk is allowed to have a size less than 8192 bytes'),
  noSuchBucketPolicy: (bucket: string) => s3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist', { BucketName: bucket }),
  malformedPolicy: (message: string) => s3Error('MalformedPolicy', 400, message),
  malformedXml: () => s3Error('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema'),
  invalidArgument: (message: string, name?: string, value?: string) => s3Error('InvalidArgument', 400, message, { ArgumentName: name, ArgumentValue: value }),
  invalidRequest: (message: string) => s3Error('InvalidRequest', 400, message),
  cannedAndHeaderGrants: () => s3Error('InvalidRequest', 400, 'Specifying both Canned ACLs and Header Grants is not allowed'),
  unexpectedContent: () => s3Error('UnexpectedContent', 400, 'This request does not support content'),
  unresolvableGrantByEmail: (email: string) =>
    s3Error('UnresolvableGrantByEmailAddress', 400, 'The e-mail address you provided does not match any account on record.', { EmailAddress: email }),
  copyToItself: () =>
    s3Error(
      'InvalidRequest',
      400,
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    ),
  invalidCopySource: () => s3Error('InvalidArgument', 400, 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', { ArgumentName: 'x-amz-copy-source' }),
  keyTooLong: (size: number) => s3Error('KeyTooLongError', 400, 'Your key is too long', { MaxSizeAllowed: 1024, Size: size }),
  metadataTooLarge: (size: number, max: number) => s3Error('MetadataTooLarge', 400, 'Your metadata headers exceed the maximum allowed metadata size.', { Size: size, MaxSizeAllowed: max }),
  noSuchTagSet: (bucket: string) => s3Error('NoSuchTagSet', 404, 'The TagSet does not exist', { BucketName: bucket }),
  invalidTag: (message: string) => s3Error('InvalidTag', 400, message),
  tooManyTags: (message: string) => s3Error('BadRequest', 400, message),
  // Server access logging (PutBucketLogging).
  loggingTargetMissing: (target: string) => s3Error('InvalidTargetBucketForLogging', 400, 'The target bucket for logging does not exist', { TargetBucket: target }),
  loggingTargetOwner: (target: string) =>
    s3Error('InvalidTargetBucketForLogging', 400, 'The owner for the bucket to be logged and the target bucket must be the same.', { TargetBucket: target }),
  // S3's spelling of the code ("Prohibitted") and its trailing space.
  loggingCrossLocation: (targetRegion: string, sourceRegion: string) =>
    s3Error('CrossLocationLoggingProhibitted', 403, 'Cross S3 location logging not allowed. ', { TargetBucketLocation: targetRegion, SourceBucketLocation: sourceRegion }),
  loggingTargetGrants: () => s3Error('AccessControlListNotSupported', 400, 'Target grants not allowed for bucket owner enforced buckets'),
  // SelectObjectContent, as S3 answers an account that never used S3 Select (closed to new customers in 2024).
  selectNotAvailable: () => s3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', { Method: 'POST', ResourceType: 'OBJECT' }),
  methodNotAllowed: (method: string, resourceType: string, headers: Record<string, string> = {}) =>
    s3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', { Method: method, ResourceType: resourceType }, headers),
  notImplemented: () => s3Error('NotImplemented', 501, 'A header you provided implies functionality that is not implemented', { Header: 'Transfer-Encoding' }),
  headerNotImplemented: (name: string) => s3Error('NotImplemented', 501, 'A header you provided implies functionality that is not implemented', { Header: name }),
  unsupportedOperation: (what: string) => s3Error('NotImplemented', 501, `Lambkin's S3 does not implement ${what}.`),
  missingContentLength: () => s3Error('MissingContentLength', 411, 'You must provide the Content-Length HTTP header.'),
  maxKeysInvalid: (value: string) => s3Error('InvalidArgument', 400, 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys', ArgumentValue: value }),
  invalidContinuationToken: () => s3Error('InvalidArgument', 400, 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' }),
  invalidPartNumber: (value: string) =>
    s3Error('InvalidArgument', 400, 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: value }),
  invalidPartNumberRange: () => s3Error('InvalidPartNumber', 416, 'The requested partnumber is not satisfiable'),
  tooManyDeleteKeys: () => s3Error('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema'),
  notificationValidation: (failures: Array<{ arn: string; reason: string }>) => {
    const fields: Record<string, string> = {};
    failures.forEach((f, i) => {
      fields[`ArgumentName${i + 1}`] = f.arn;
      fields[`ArgumentValue${i + 1}`] = f.reason;
    });
    return s3Error('InvalidArgument', 400, 'Unable to validate the following destination configurations', fields);
  },
  overlappingConfigurations: () =>
    s3Error('InvalidArgument', 400, 'Configurations overlap. Configurations on the same bucket cannot share a common event type.', { ArgumentName: 'Event', ArgumentValue: 'null' }),
  unsupportedEvent: (event: string) => s3Error('InvalidArgument', 400, 'The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: event }),
  invalidFilterRule: () => s3Error('InvalidArgument', 400, 'filter rule name must be either prefix or suffix', { ArgumentName: 'FilterRule', ArgumentValue: 'null' }),
  duplicateFilterRule: (kind: 'prefix' | 'suffix') =>
    s3Error('InvalidArgument', 400, `Cannot specify more than one ${kind} rule in a filter.`, { ArgumentName: 'FilterRule', ArgumentValue: 'null' }),
  // Browser-based POST uploads (PostObject): S3's answers as recorded, not as its error table lists them.
  postNotMultipart: () => s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' }),
  malformedPostRequest: () => s3Error('MalformedPOSTRequest', 400, 'The body of your POST request is not well-formed multipart/form-data.'),
  postFieldMissing: (name: string) =>
    s3Error('InvalidArgument', 400, `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, { ArgumentName: name, ArgumentValue: '' }),
  postFileCount: () => s3Error('InvalidArgument', 400, 'POST requires exactly one file upload per request.', { ArgumentName: 'file', ArgumentValue: 0 }),
  postPreDataTooLarge: (max: number) =>
    s3Error('MaxPostPreDataLengthExceeded', 400, 'Your POST request fields preceeding the upload file was too large.', { MaxPostPreDataLengthBytes: max }),
  invalidPolicyDocument: (detail: string) => s3Error('InvalidPolicyDocument', 400, `Invalid Policy: ${detail}`),
  policyExpired: () => s3Error('AccessDenied', 403, 'Invalid according to Policy: Policy expired.'),
  policyConditionFailed: (condition: string) => s3Error('AccessDenied', 403, `Invalid according to Policy: Policy Condition failed: ${condition}`),
  policyExtraFields: (names: string[]) => s3Error('AccessDenied', 403, `Invalid according to Policy: Extra input fields: ${names.join(', ')}`),
  postEntityTooSmall: (size: number, min: number) =>
    s3Error('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size', { ProposedSize: size, MinSizeAllowed: min }),
  postSignatureDoesNotMatch: (accessKeyId: string, stringToSign: string, provided: string) =>
    s3Error('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      AWSAccessKeyId: accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: provided,
      StringToSignBytes: [...Buffer.from(stringToSign)].map((b) => b.toString(16).padStart(2, '0')).join(' '),
    }),
  postAccessKeyUnknown: (accessKeyId: string) =>
    s3Error('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId }),
  postCredentialInvalid: (message: string, credential: string, extra: Record<string, string> = {}) =>
    s3Error('InvalidArgument', 400, message, { ArgumentName: 'X-Amz-Credential', ArgumentValue: credential, ...extra }),
  postAlgorithmInvalid: (value: string) =>
    s3Error('InvalidArgument', 400, 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', { ArgumentName: 'X-Amz-Algorithm', ArgumentValue: value }),
  noSuchPublicAccessBlockConfiguration: (bucket: string) =>
    s3Error('NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found', { BucketName: bucket }),
  malformedAclError: () => s3Error('MalformedACLError', 400, 'The XML you provided was not well-formed or did not validate against our published schema'),
  noSuchLifecycleConfiguration: (bucket: string) => s3Error('NoSuchLifecycleConfiguration', 404, 'The lifecycle configuration does not exist', { BucketName: bucket }),
  // CORS (PutBucketCors and browsers' preflight requests).
  noSuchCorsConfiguration: (bucket: string) => s3Error('NoSuchCORSConfiguration', 404, 'The CORS configuration does not exist', { BucketName: bucket }),
  corsOriginMissing: () => s3Error('BadRequest', 400, 'Insufficient information. Origin request header needed.'),
  corsRequestMethodInvalid: (method: string) => s3Error('BadRequest', 400, `Invalid Access-Control-Request-Method: ${method}`),
  corsNotEnabled: (method: string, resourceType: string) =>
    s3Error('AccessForbidden', 403, 'CORSResponse: CORS is not enabled for this bucket.', { Method: method, ResourceType: resourceType }),
  // S3's spelling ("evalution").
  corsNotAllowed: (method: string, resourceType: string) =>
    s3Error(
      'AccessForbidden',
      403,
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      { Method: method, ResourceType: resourceType },
    ),
  // Ownership controls, default encryption, requester pays.
  ownershipControlsNotFound: (bucket: string) => s3Error('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found', { BucketName: bucket }),
  aclNotSupported: () => s3Error('AccessControlListNotSupported', 400, 'The bucket does not allow ACLs'),
  aclWithEnforcedOwnership: () => s3Error('InvalidBucketAclWithObjectOwnership', 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"),
  invalidObjectOwnership: (value: string) => s3Error('InvalidArgument', 400, 'Invalid x-amz-object-ownership header', { ArgumentName: 'x-amz-object-ownership', ArgumentValue: value }),
  unsupportedEncryption: (value: string) =>
    s3Error('InvalidArgument', 400, 'The encryption method specified is not supported', { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: value }),
  kmsKeyWithoutKms: (headerName: string, value: string) =>
    s3Error('InvalidArgument', 400, 'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', { ArgumentName: headerName, ArgumentValue: value }),
  kmsKeyNotApplicable: () =>
    s3Error('InvalidArgument', 400, 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', { ArgumentName: 'ApplyServerSideEncryptionByDefault' }),
  customerKeyOverHttp: () => s3Error('InvalidRequest', 400, 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.'),
  invalidObjectAttribute: (value: string) =>
    s3Error('InvalidArgument', 400, 'Invalid attribute name specified.', { ArgumentName: 'x-amz-object-attributes', ArgumentValue: value }),
  objectAttributesMissing: () =>
    s3Error('InvalidArgument', 400, 'Invalid attribute name specified.', { ArgumentName: 'x-amz-object-attributes', ArgumentValue: '' }),
  // Object Lock.
  objectLockConfigurationNotFound: (bucket: string) =>
    s3Error('ObjectLockConfigurationNotFoundError', 404, 'Object Lock configuration does not exist for this bucket', { BucketName: bucket }),
  noSuchObjectLockConfiguration: () => s3Error('NoSuchObjectLockConfiguration', 404, 'The specified object does not have a ObjectLock configuration'),
  bucketMissingObjectLock: () => s3Error('InvalidRequest', 400, 'Bucket is missing Object Lock Configuration'),
  objectLockNeedsVersioning: () => s3Error('InvalidBucketState', 409, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration"),
  objectLockVersioningFixed: () => s3Error('InvalidBucketState', 409, 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.'),
  objectLocked: () => s3Error('AccessDenied', 403, 'Access Denied because object protected by object lock.'),
  retainUntilInPast: () => s3Error('InvalidArgument', 400, 'The retain until date must be in the future!', { ArgumentName: 'RetainUntilDate' }),
  retentionPeriodInvalid: () => s3Error('InvalidArgument', 400, 'Default retention period must be a positive integer value', { ArgumentName: 'DefaultRetention' }),
  lockHeadersIncomplete: () =>
    s3Error('InvalidArgument', 400, 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', { ArgumentName: 'x-amz-object-lock-mode' }),
  unknownLockMode: (value: string) => s3Error('InvalidArgument', 400, 'Unknown wormMode directive.', { ArgumentName: 'x-amz-object-lock-mode', ArgumentValue: value }),
  // Static website hosting: PutBucketWebsite's checks, as S3 words them (the website endpoint's own
  // HTML pages are in website/error-page.ts).
  noSuchWebsiteConfiguration: (bucket: string) =>
    s3Error('NoSuchWebsiteConfiguration', 404, 'The specified bucket does not have a website configuration', { BucketName: bucket }),
  websiteRedirectAllWithOthers: () =>
    s3Error('InvalidArgument', 400, 'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', { ArgumentName: 'RedirectAllRequestsTo', ArgumentValue: 'not null' }),
  websiteIndexMissing: () =>
    s3Error('InvalidArgument', 400, 'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', { ArgumentName: 'IndexDocument', ArgumentValue: 'null' }),
  websiteIndexSuffix: (suffix: string) => s3Error('InvalidArgument', 400, 'The IndexDocument Suffix is not well formed', { ArgumentName: 'IndexDocument', ArgumentValue: suffix }),
  websiteProtocol: () =>
    s3Error('InvalidRequest', 400, 'Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.'),
  websiteReplaceBoth: () => s3Error('InvalidRequest', 400, 'You can only define ReplaceKeyPrefix or ReplaceKey but not both.'),
  websiteEmptyCondition: () =>
    s3Error('InvalidRequest', 400, "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present."),
  websiteRedirectCode: (code: string) => s3Error('InvalidRequest', 400, `The provided HTTP redirect code (${code}) is not valid. Valid codes are 3XX except 300.`),
  websiteErrorCode: (code: string) => s3Error('InvalidRequest', 400, `The provided HTTP error code (${code}) is not valid. Valid codes are 4XX or 5XX.`),
  // Edge errors in S3's words.
  accessDenied: () => s3Error('AccessDenied', 403, 'Access Denied'),
  invalidAccessKeyId: () => s3Error('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'),
  signatureDoesNotMatch: () =>
    s3Error('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'),
  internal: () => s3Error('InternalError', 500, 'We encountered an internal error. Please try again.'),
};
