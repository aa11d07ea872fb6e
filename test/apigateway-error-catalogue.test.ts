import * as sdk from '@aws-sdk/client-api-gateway';
import { restErrors } from '../src/services/apigatewayv2/rest/errors.js';
import { describeCatalogue, modelStatuses, type Expectation } from './support/error-catalogue.js';

const notFound = (error: ReturnType<typeof restErrors.resourceNotFound>, message: string): Expectation => ({ error, code: 'NotFoundException', message, source: 'aws' });

const expectations: Record<keyof typeof restErrors, Expectation> = {
  badRequest: { error: restErrors.badRequest('detail'), code: 'BadRequestException', message: 'detail', source: 'caller' },
  conflict: { error: restErrors.conflict('detail'), code: 'ConflictException', message: 'detail', source: 'caller' },
  notFound: { error: restErrors.notFound('detail'), code: 'NotFoundException', message: 'detail', source: 'caller' },
  apiNotFound: notFound(restErrors.apiNotFound('000000000000', 'a1b2c3d4e5'), 'Invalid API identifier specified 000000000000:a1b2c3d4e5'),
  resourceNotFound: notFound(restErrors.resourceNotFound(), 'Invalid Resource identifier specified'),
  methodNotFound: notFound(restErrors.methodNotFound(), 'Invalid Method identifier specified'),
  integrationNotFound: notFound(restErrors.integrationNotFound(), 'No integration defined for method'),
  responseNotFound: notFound(restErrors.responseNotFound(), 'Invalid Response status code specified'),
  deploymentNotFound: notFound(restErrors.deploymentNotFound(), 'Invalid Deployment identifier specified'),
  stageNotFound: notFound(restErrors.stageNotFound(), 'Invalid stage identifier specified'),
  authorizerNotFound: notFound(restErrors.authorizerNotFound(), 'Invalid Authorizer identifier specified'),
};

describeCatalogue({
  service: 'apigateway',
  catalogue: restErrors,
  expectations,
  model: modelStatuses(sdk),
  documented: {},
  unlisted: {},
});
