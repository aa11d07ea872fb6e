import { AwsError } from '../../contracts/aws-error.js';

/** apigatewayv2 errors: `{"message": …}` with `x-amzn-ErrorType`. */
const error = (code: string, status: number, message: string) => new AwsError(code, status, message, { type: null });

export const errors = {
  badRequest: (message: string) => error('BadRequestException', 400, message),
  notFound: (message: string) => error('NotFoundException', 404, message),
  conflict: (message: string) => error('ConflictException', 409, message),
  apiNotFound: (accountId: string, apiId: string) => error('NotFoundException', 404, `Invalid API identifier specified ${accountId}:${apiId}`),
  routeNotFound: (routeId: string) => error('NotFoundException', 404, `Invalid Route identifier specified ${routeId}`),
  integrationNotFound: (integrationId: string) => error('NotFoundException', 404, `Invalid Integration identifier specified ${integrationId}`),
  stageNotFound: (stageName: string) => error('NotFoundException', 404, `Invalid stage identifier specified ${stageName}`),
  unknownOperation: () => new AwsError('UnknownOperationException', 404, 'Unknown operation', { type: null, messageKey: 'message' }),
  invalidJson: () => error('BadRequestException', 400, 'Invalid JSON body'),
};
