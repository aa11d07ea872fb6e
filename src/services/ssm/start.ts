import type { Clock } from '../../clock.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Store } from '../../store/database.js';
import { ParameterStore } from './parameter-store.js';
import { createSsmService } from './service.js';

export interface StartedSsm extends StartedService {
  /** The Parameter Store, for other services in process (CloudFormation). */
  parameters: ParameterStore;
}

/** SSM Parameter Store: the API and the store behind it. */
export function startSsm(options: { db: Store; clock: Clock }): StartedSsm {
  const parameters = new ParameterStore(options.db, options.clock);
  return {
    service: createSsmService({ parameters }),
    parameters,
    // Every parameter with its history.
    reset: () =>
      options.db.transaction().execute(async (trx) => {
        for (const table of ['ssm_parameter_versions', 'ssm_parameters'] as const) await trx.deleteFrom(table).execute();
      }),
    close() {},
  };
}
