import { AwsError } from '../contracts/aws-error.js';

/** Errors of SigV4 verification, raised before any service sees the request. */
export const authErrors = {
  missingAuthentication: () =>
    new AwsError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token', { messageKey: 'message' }),
  /** The query protocol's wording (SQS, SNS, ELB): the code has no `Exception` suffix. */
  missingQueryAuthentication: () => new AwsError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token'),
  unrecognizedClient: () =>
    new AwsError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.', {
      messageKey: 'message',
    }),
  signatureMismatch: () =>
    new AwsError(
      'InvalidSignatureException',
      403,
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      { messageKey: 'message' },
    ),
  signatureExpired: (requestTime: string, now: string, limit: string) =>
    new AwsError(
      'InvalidSignatureException',
      403,
      `Signature expired: ${requestTime} is now earlier than ${limit} (${now} - 15 min.)`,
      { messageKey: 'message' },
    ),
  signatureNotYetCurrent: (requestTime: string, now: string, limit: string) =>
    new AwsError(
      'InvalidSignatureException',
      403,
      `Signature not yet current: ${requestTime} is still later than ${limit} (${now} + 15 min.)`,
      { messageKey: 'message' },
    ),
  presignedExpired: () =>
    new AwsError('InvalidSignatureException', 403, 'Signature expired', { messageKey: 'message' }),
  incompleteSignature: (detail: string) =>
    new AwsError('IncompleteSignatureException', 400, detail, { messageKey: 'message' }),
};
