import type { Clock } from '../../clock.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Store } from '../../store/database.js';
import { createApigatewayV2Service } from './service.js';
import { ApigwStore } from './store.js';

export interface StartedApigatewayv2 extends StartedService {
  /** HTTP APIs, routes, integrations and stages, as the HTTP API front door reads them. */
  store: ApigwStore;
  close(): void;
}

/** The apigatewayv2 API; the HTTP APIs it configures are served by `triggers/http/`. */
export async function startApigatewayv2(deps: { db: Store; clock: Clock }): Promise<StartedApigatewayv2> {
  const store = new ApigwStore(deps.db);
  return { service: createApigatewayV2Service({ store, clock: deps.clock }), store, close() {} };
}
