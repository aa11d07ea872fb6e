import { jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { functionArn } from '../arns.js';
import type { LambdaDeps } from '../deps.js';
import { errors } from '../errors.js';
import { resolveFunction } from '../function-resolution.js';
import { listEntry } from '../function-views.js';
import * as limits from '../limits.js';
import { functionLockKey } from '../provisioner.js';
import { jsonBody, optionalString, paginate } from '../request.js';
import { ConstraintCheck } from '../validation.js';
import { publishVersion } from '../version-publishing.js';

export function versionRoutes(deps: LambdaDeps): RestJsonRoute[] {
  return [
    { operation: 'PublishVersion', method: 'POST', path: '/2015-03-31/functions/{FunctionName}/versions', handler: (r) => publish(deps, r) },
    { operation: 'ListVersionsByFunction', method: 'GET', path: '/2015-03-31/functions/{FunctionName}/versions', handler: (r) => listVersions(deps, r) },
  ];
}

async function publish(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const codeSha256 = optionalString(body, 'CodeSha256');
  const description = optionalString(body, 'Description');
  const revisionId = optionalString(body, 'RevisionId');
  new ConstraintCheck().length(description, 'description', 0, limits.DESCRIPTION_MAX_CHARS).throwIfFailed();
  const { scope, name } = await resolveFunction(deps, req, 'PublishVersion', null);
  return deps.lock.run(functionLockKey(scope, name), async () => {
    const latest = await deps.functions.getVersion(scope, name, '$LATEST');
    if (!latest) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, name));
    // A snapshot of half-applied code or configuration would not be reproducible.
    if (latest.config.State === 'Pending' || latest.config.LastUpdateStatus === 'InProgress') {
      throw errors.updateInProgress(latest.config.FunctionArn);
    }
    const published = await publishVersion(deps, scope, name, { codeSha256, revisionId, description });
    return jsonResponse(201, published);
  });
}

async function listVersions(deps: LambdaDeps, req: RestJsonRequest) {
  const { scope, name } = await resolveFunction(deps, req, 'ListVersionsByFunction', null);
  const versions = (await deps.functions.listVersions(scope, name)).map((v) => listEntry(v.config, true));
  const { page, nextMarker } = paginate(req, versions, (c) => c.Version, { pageCap: limits.LIST_VERSIONS_PAGE_MAX });
  return jsonResponse(200, { Versions: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
}
