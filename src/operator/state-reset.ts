import type { InternalCaller, InternalRoute } from '../contracts/internal-route.js';
import { isLoopback } from '../contracts/loopback.js';
import type { ServiceResponse } from '../contracts/request-context.js';

/** A service whose whole state a test suite may empty between tests. */
export interface ResettableService {
  name: string;
  /**
   * Deletes every resource of every account (store rows and in-memory copies alike) and stops the
   * background work that served them, so the next request sees a service as freshly installed.
   */
  reset?(): Promise<void>;
}

/**
 * `POST /_lambkin/reset[?service=sqs,lambda]`: what moto's `/moto-api/reset` gives test suites.
 * Loopback callers only, unless LAMBKIN_ALLOW_REMOTE_RESET=1: a reset deletes every account's
 * data, which no remote caller should be able to do by default. Without `service`, every
 * service that can be reset is; the answer names what was reset and what cannot be (yet), so a
 * suite relying on the others is not misled.
 */
export function stateResetRoute(services: readonly ResettableService[], allowRemote: boolean): InternalRoute {
  return {
    method: 'POST',
    path: '/_lambkin/reset',
    handle: async (_rawPath: string, query: URLSearchParams, caller: InternalCaller): Promise<ServiceResponse> => {
      if (!allowRemote && !isLoopback(caller.sourceIp)) {
        return error(403, 'AccessDeniedException', `A state reset is only accepted from loopback (this request came from ${caller.sourceIp}); set LAMBKIN_ALLOW_REMOTE_RESET=1 to accept it from anywhere.`);
      }
      const known = new Map(services.map((s) => [s.name, s]));
      const asked = query.get('service');
      let chosen: ResettableService[];
      if (asked === null || asked.trim() === '') chosen = services.filter((s) => s.reset);
      else {
        const names = [...new Set(asked.split(',').map((n) => n.trim()).filter(Boolean))];
        chosen = [];
        for (const name of names) {
          const service = known.get(name);
          if (!service) return error(400, 'InvalidParameterValueException', `Unknown service ${name}: valid values are ${[...known.keys()].join(', ')}.`);
          if (!service.reset) return error(400, 'InvalidParameterValueException', `Service ${name} cannot be reset yet; services that can: ${services.filter((s) => s.reset).map((s) => s.name).join(', ')}.`);
          chosen.push(service);
        }
      }
      // One after another: a service's reset may call into the store the others share. In the
      // services' order whatever order they were named in (CloudFormation's stops what would call the others).
      chosen.sort((a, b) => services.indexOf(a) - services.indexOf(b));
      for (const service of chosen) await service.reset?.();
      const resetNames = chosen.map((s) => s.name);
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reset: resetNames, notResettable: services.filter((s) => !s.reset).map((s) => s.name) }),
      };
    },
  };
}

function error(status: number, code: string, message: string): ServiceResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': code }, body: JSON.stringify({ __type: code, message }) };
}
