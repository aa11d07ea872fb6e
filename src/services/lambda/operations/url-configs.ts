import type { RestJsonRoute } from '../../../protocols/rest-json.js';
import type { LambdaDeps } from '../deps.js';

export function urlConfigRoutes(_deps: LambdaDeps): RestJsonRoute[] {
  return [];
}
