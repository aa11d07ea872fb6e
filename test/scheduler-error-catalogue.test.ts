import * as sdk from '@aws-sdk/client-scheduler';
import { schedulerErrors } from '../src/services/events/scheduler/errors.js';
import { describeCatalogue, modelStatuses, type Expectation } from './support/error-catalogue.js';

const expectations: Record<keyof typeof schedulerErrors, Expectation> = {
  validation: { error: schedulerErrors.validation('detail'), code: 'ValidationException', message: 'detail', source: 'caller' },
  scheduleNotFound: { error: schedulerErrors.scheduleNotFound('s1'), code: 'ResourceNotFoundException', message: 'Schedule s1 does not exist.', source: 'aws' },
  groupNotFound: { error: schedulerErrors.groupNotFound('g1'), code: 'ResourceNotFoundException', message: 'Schedule group g1 does not exist.', source: 'lambkin' },
  scheduleExists: { error: schedulerErrors.scheduleExists('s1'), code: 'ConflictException', message: 'Schedule s1 already exists.', source: 'aws' },
  groupExists: { error: schedulerErrors.groupExists('g1'), code: 'ConflictException', message: 'Schedule group g1 already exists.', source: 'lambkin' },
  unknownOperation: { error: schedulerErrors.unknownOperation(), code: 'UnknownOperationException', message: 'Unknown operation', source: 'lambkin' },
};

describeCatalogue({
  service: 'scheduler',
  catalogue: schedulerErrors,
  expectations,
  model: modelStatuses(sdk),
  documented: {},
  unlisted: {
    UnknownOperationException: { status: 404, reason: 'a request no scheduler operation matches; the model defines no error for it' },
  },
});
