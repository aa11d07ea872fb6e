import type { RestJsonRoute } from '../../protocols/rest-json.js';
import type { LambdaDeps } from './deps.js';
import { accountRoutes } from './operations/account.js';
import { aliasRoutes } from './operations/aliases.js';
import { codeSigningConfigRoutes } from './operations/code-signing-configs.js';
import { concurrencyRoutes } from './operations/concurrency.js';
import { eventInvokeConfigRoutes } from './operations/event-invoke-configs.js';
import { eventSourceMappingRoutes } from './operations/event-source-mappings.js';
import { functionRoutes } from './operations/functions.js';
import { invokeRoutes } from './operations/invoke.js';
import { invokeWithResponseStreamRoutes } from './operations/invoke-with-response-stream.js';
import { layerRoutes } from './operations/layers.js';
import { permissionRoutes } from './operations/permissions.js';
import { provisionedConcurrencyRoutes } from './operations/provisioned-concurrency.js';
import { tagRoutes } from './operations/tags.js';
import { urlConfigRoutes } from './operations/url-configs.js';
import { versionRoutes } from './operations/versions.js';

/** Every control-plane operation, grouped by concern (spec §1.1). */
export function lambdaRoutes(deps: LambdaDeps): RestJsonRoute[] {
  return [
    ...functionRoutes(deps),
    ...invokeRoutes(deps),
    ...invokeWithResponseStreamRoutes(deps),
    ...versionRoutes(deps),
    ...aliasRoutes(deps),
    ...permissionRoutes(deps),
    ...layerRoutes(deps),
    ...concurrencyRoutes(deps),
    ...provisionedConcurrencyRoutes(deps),
    ...eventInvokeConfigRoutes(deps),
    ...urlConfigRoutes(deps),
    ...eventSourceMappingRoutes(deps, deps.eventSources),
    ...codeSigningConfigRoutes(deps),
    ...tagRoutes(deps),
    ...accountRoutes(deps),
  ];
}
