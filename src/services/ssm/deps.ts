import type { RequestContext } from '../../contracts/request-context.js';
import type { ParameterStore } from './parameter-store.js';

export interface SsmDeps {
  parameters: ParameterStore;
}

/** One operation: the request's members in, the answer's members out. */
export type SsmOperation = (input: Record<string, unknown>, ctx: RequestContext) => Promise<Record<string, unknown>>;
