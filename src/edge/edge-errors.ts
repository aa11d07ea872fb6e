import { AwsError } from '../contracts/aws-error.js';

/** Errors the edge itself raises before any service sees the request. */
export const edgeErrors = {
  unknownService: (name: string) =>
    new AwsError('UnknownServiceException', 400, `The service '${name}' is not available on this Lambkin endpoint.`, {
      messageKey: 'message',
    }),
  unknownOperation: () => new AwsError('UnknownOperationException', 404, 'Unknown operation', { messageKey: 'message' }),
  requestTooLarge: (limit: number) =>
    new AwsError('RequestEntityTooLargeException', 413, `Request must be smaller than ${limit} bytes`, {
      messageKey: 'message',
    }),
  internal: () => new AwsError('ServiceException', 500, 'An internal error occurred.', { messageKey: 'Message' }),
};
