import type { Clock } from '../../clock.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Store } from '../../store/database.js';
import { deleteUsage } from './rest/usage-counters.js';
import { createApigatewayV2Service } from './service.js';
import { ApigwStore } from './store.js';

export interface StartedApigatewayv2 extends StartedService {
  /** HTTP and REST APIs with everything in them, as the front doors read them. */
  store: ApigwStore;
  close(): void;
}

/** The API Gateway APIs (HTTP APIs and REST APIs); the APIs they configure are served by `triggers/http/`. */
export async function startApigatewayv2(deps: { db: Store; clock: Clock }): Promise<StartedApigatewayv2> {
  const store = new ApigwStore(deps.db);
  return {
    service: createApigatewayV2Service({ store, clock: deps.clock }),
    store,
    // HTTP and REST APIs alike (with usage plans' counters); the doors notice through the store's generation.
    reset: async () => {
      await store.deleteAll();
      await deleteUsage(deps.db);
    },
    close() {},
  };
}
