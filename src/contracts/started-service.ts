import type { InternalRoute } from './internal-route.js';
import type { Service } from './service.js';

/**
 * What every `services/<name>/start.ts` returns from `start<Name>(deps)`: the API the edge
 * dispatches to and the service's own lifecycle. Each adds the in-process interfaces it offers
 * the others (`Started<Name>`); server.ts passes those on, so no service imports another.
 */
export interface StartedService {
  service: Service;
  /** `/_lambkin/…` routes the service answers besides its API. */
  internalRoutes?: InternalRoute[];
  /** Background work that waits until the server listens (functions reach us through its URL). */
  start?(): void | Promise<void>;
  /**
   * Empties the service (`POST /_lambkin/reset`): every resource of every account, in the store
   * and in memory, and the background work serving them. Absent: the service cannot be reset yet.
   */
  reset?(): Promise<void>;
  close(): void | Promise<void>;
}
