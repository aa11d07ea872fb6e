import { AwsError } from '../../../contracts/aws-error.js';

/** apigateway (REST API) errors: `{"message": …}` with `x-amzn-ErrorType`, texts as AWS words them. */
const error = (code: string, status: number, message: string) => new AwsError(code, status, message, { type: null });

export const restErrors = {
  badRequest: (message: string) => error('BadRequestException', 400, message),
  conflict: (message: string) => error('ConflictException', 409, message),
  notFound: (message: string) => error('NotFoundException', 404, message),
  apiNotFound: (accountId: string, apiId: string) => error('NotFoundException', 404, `Invalid API identifier specified ${accountId}:${apiId}`),
  resourceNotFound: () => error('NotFoundException', 404, 'Invalid Resource identifier specified'),
  methodNotFound: () => error('NotFoundException', 404, 'Invalid Method identifier specified'),
  integrationNotFound: () => error('NotFoundException', 404, 'No integration defined for method'),
  responseNotFound: () => error('NotFoundException', 404, 'Invalid Response status code specified'),
  deploymentNotFound: () => error('NotFoundException', 404, 'Invalid Deployment identifier specified'),
  stageNotFound: () => error('NotFoundException', 404, 'Invalid stage identifier specified'),
  authorizerNotFound: () => error('NotFoundException', 404, 'Invalid Authorizer identifier specified'),
};
