import type { RestJsonRoute } from '../../../protocols/rest-json.js';
import type { LambdaDeps } from '../deps.js';

export function accountRoutes(_deps: LambdaDeps): RestJsonRoute[] {
  return [];
}
