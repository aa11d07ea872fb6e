import type { RestJsonRoute } from '../../../protocols/rest-json.js';
import type { LambdaDeps } from '../deps.js';

export function versionRoutes(_deps: LambdaDeps): RestJsonRoute[] {
  return [];
}
