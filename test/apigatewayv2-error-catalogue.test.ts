import * as sdk from '@aws-sdk/client-apigatewayv2';
import { errors } from '../src/services/apigatewayv2/errors.js';
import { describeCatalogue, modelStatuses, type Expectation } from './support/error-catalogue.js';

const expectations: Record<keyof typeof errors, Expectation> = {
  badRequest: { error: errors.badRequest('detail'), code: 'BadRequestException', message: 'detail', source: 'caller' },
  notFound: { error: errors.notFound('detail'), code: 'NotFoundException', message: 'detail', source: 'caller' },
  conflict: { error: errors.conflict('detail'), code: 'ConflictException', message: 'detail', source: 'caller' },
  apiNotFound: {
    error: errors.apiNotFound('000000000000', 'a1b2c3d4e5'),
    code: 'NotFoundException',
    message: 'Invalid API identifier specified 000000000000:a1b2c3d4e5',
    source: 'aws',
  },
  routeNotFound: { error: errors.routeNotFound('r1'), code: 'NotFoundException', message: 'Invalid Route identifier specified r1', source: 'aws' },
  integrationNotFound: {
    error: errors.integrationNotFound('i1'),
    code: 'NotFoundException',
    message: 'Invalid Integration identifier specified i1',
    source: 'aws',
  },
  stageNotFound: { error: errors.stageNotFound('prod'), code: 'NotFoundException', message: 'Invalid stage identifier specified prod', source: 'aws' },
  unknownOperation: { error: errors.unknownOperation(), code: 'UnknownOperationException', message: 'Unknown operation', source: 'lambkin' },
  invalidJson: { error: errors.invalidJson(), code: 'BadRequestException', message: 'Invalid JSON body', source: 'lambkin' },
};

describeCatalogue({
  service: 'apigatewayv2',
  catalogue: errors,
  expectations,
  model: modelStatuses(sdk),
  documented: {},
  unlisted: {
    UnknownOperationException: { status: 404, reason: 'a request no apigatewayv2 operation matches; the model defines no error for it' },
  },
});
