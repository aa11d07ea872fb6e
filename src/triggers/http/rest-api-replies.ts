import { textReply, type HttpReply } from './http-reply.js';

/** API Gateway's default gateway responses: `{"message":…}` and the error type in `x-amzn-ErrorType`. */
function gatewayError(status: number, type: string, message: string | null): HttpReply {
  return textReply(status, 'application/json', JSON.stringify({ message }), [['x-amzn-ErrorType', type]]);
}

export const restReplies = {
  /** No such stage, or an API key the method requires is missing. */
  forbidden: () => gatewayError(403, 'ForbiddenException', 'Forbidden'),
  /** No resource or no method for the path: what AWS answers for any unknown route. */
  missingToken: () => gatewayError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
  unauthorized: () => gatewayError(401, 'UnauthorizedException', 'Unauthorized'),
  accessDenied: () => gatewayError(403, 'AccessDeniedException', 'User is not authorized to access this resource'),
  authorizerFailed: () => gatewayError(500, 'AuthorizerConfigurationException', null),
  /** A configuration error: no permission to invoke the function, a missing function, no output mapping. */
  internal: () => gatewayError(500, 'InternalServerErrorException', 'Internal server error'),
  /** The function failed or answered something that is not a proxy response. */
  badGateway: () => gatewayError(502, 'InternalServerErrorException', 'Internal server error'),
  /** No request template for the content type, and the passthrough behavior refuses to pass it on. */
  unsupportedMediaType: () => gatewayError(415, 'UnsupportedMediaTypeException', 'Unsupported Media Type'),
  /** An HTTP_PROXY backend that did not answer in time or could not be reached. */
  gatewayTimeout: () => gatewayError(504, 'IntegrationTimeout', 'Endpoint request timed out'),
  /** A usage plan's throttle (rate and burst) refused the request. */
  tooManyRequests: () => gatewayError(429, 'TooManyRequestsException', 'Too Many Requests'),
  /** A usage plan's quota for the period is spent. */
  limitExceeded: () => gatewayError(429, 'LimitExceededException', 'Limit Exceeded'),
  tooLarge: () => gatewayError(413, 'RequestTooLargeException', 'Request Too Long'),
};
