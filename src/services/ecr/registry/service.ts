import type { AwsError } from '../../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../../contracts/request-context.js';
import type { ManagementCall } from '../../../contracts/management-events.js';
import type { Service } from '../../../contracts/service.js';
import { managementCallOf } from '../../../protocols/management-calls.js';
import { ECR_MANAGEMENT_CALLS } from '../management-calls.js';
import { isRepositoryName, repositoryArn, type RepositoryKey } from '../names.js';
import { registryAction } from './actions.js';
import { findRepository } from '../tables/repositories.js';
import { authenticateRegistryRequest } from './authenticate.js';
import { getBlob } from './blobs.js';
import { appendUpload, cancelUpload, completeUpload, startUpload, uploadStatus } from './blob-uploads.js';
import type { RegistryDeps, RepositoryRequest } from './deps.js';
import { API_VERSION_HEADER, registryErrorResponse, registryErrors } from './errors.js';
import { getManifest, putManifest, removeManifest } from './manifests.js';
import { isRegistryPath, registryRoute } from './routes.js';
import { listTags } from './tags-list.js';

/**
 * The container registry (OCI Distribution / Docker Registry HTTP API v2) on the one port: every
 * unsigned `/v2/…` request. It authenticates its own requests (HTTP Basic, see authenticate.ts)
 * and reads bodies as streams: layers can be gigabytes.
 */
export function createRegistryService(deps: RegistryDeps): Service {
  return {
    name: 'ecr-registry',
    // Registry clients never sign with SigV4; no credential scope names this service.
    signingName: 'ecr-registry',
    targetPrefixes: [],
    maxBodyBytes: 0,
    streamsBody: true,
    authenticatesRequests: true,
    ownsPath: (_method, rawPath) => isRegistryPath(rawPath),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const route = registryRoute(ctx.rawPath);
      const caller = await authenticateRegistryRequest({ credentials: deps.credentials, tokens: deps.tokens, now: () => deps.clock.now() }, ctx.headers);
      // The edge verified no signature: from here on the request is the caller's, as a signed one is
      // (CloudTrail's userIdentity, the default bus a push's PutImage event goes to).
      ctx.accountId = caller.accountId;
      ctx.region = caller.region;
      ctx.principal = caller.principal;
      if (!route) throw registryErrors.unsupported(`${ctx.method} ${ctx.rawPath} is not part of the registry API`);
      if (route.kind === 'base') return { status: 200, headers: { ...API_VERSION_HEADER, 'content-type': 'application/json' }, body: '{}' };
      // ECR does not list repositories through the registry API (DescribeRepositories does).
      if (route.kind === 'catalog') throw registryErrors.unsupported('The operation is unsupported.');
      if (!isRepositoryName(route.name)) throw registryErrors.nameInvalid(route.name);
      const key: RepositoryKey = { accountId: caller.accountId, region: caller.region, name: route.name };
      // A user's or role's token is held to its policies on every request, as ECR holds it.
      const authorize = await ctx.authorizeAs?.(caller.principal, caller.region);
      const action = registryAction(route, ctx.method);
      if (authorize && action) authorize(action, repositoryArn(key));
      const repository = await findRepository(deps.db, key);
      if (!repository) throw registryErrors.nameUnknown(route.name, caller.accountId);
      const request: RepositoryRequest = { ctx, key, repository, ...(authorize ? { authorize } : {}) };
      const method = ctx.method;
      switch (route.kind) {
        case 'tags':
          if (method === 'GET') return listTags(deps, request);
          break;
        case 'manifest':
          if (method === 'GET' || method === 'HEAD') return getManifest(deps, request, route.reference);
          if (method === 'PUT') return putManifest(deps, request, route.reference);
          if (method === 'DELETE') return removeManifest(deps, request, route.reference);
          break;
        case 'uploads':
          if (method === 'POST') return startUpload(deps, request);
          break;
        case 'upload':
          if (method === 'PATCH') return appendUpload(deps, request, route.id);
          if (method === 'PUT') return completeUpload(deps, request, route.id);
          if (method === 'GET') return uploadStatus(deps, request, route.id);
          if (method === 'DELETE') return cancelUpload(deps, request, route.id);
          break;
        case 'blob':
          if (method === 'GET' || method === 'HEAD') return getBlob(deps, request, route.digest);
          break;
      }
      throw registryErrors.unsupported(`${method} is not supported on ${ctx.rawPath}`);
    },
    managementCall: (ctx, response) => pushedImageCall(ctx, response),
    serializeError: (error: AwsError) => registryErrorResponse(error),
    accessDenied: (message: string) => registryErrors.denied(message),
    tooLarge: () => registryErrors.sizeInvalid('request body too large'),
  };
}

/**
 * A manifest pushed (`docker push`'s last request) is recorded as CloudTrail records it: a
 * `PutImage` management event, as if the ECR API had been called. The manifest text itself is
 * not carried (it was streamed to the store).
 */
function pushedImageCall(ctx: RequestContext, response: ServiceResponse): ManagementCall | null {
  const route = registryRoute(ctx.rawPath);
  if (ctx.method !== 'PUT' || route?.kind !== 'manifest' || response.status !== 201) return null;
  const digest = String(response.headers?.['Docker-Content-Digest'] ?? '');
  const tag = route.reference.startsWith('sha256:') ? undefined : route.reference;
  const mediaType = ctx.headers['content-type'];
  const common = { registryId: ctx.accountId, repositoryName: route.name, ...(typeof mediaType === 'string' ? { imageManifestMediaType: mediaType } : {}) };
  return managementCallOf(ECR_MANAGEMENT_CALLS, 'PutImage', { ...common, ...(tag ? { imageTag: tag } : { imageDigest: digest }) }, {
    image: { ...common, imageId: { imageDigest: digest, ...(tag ? { imageTag: tag } : {}) } },
  });
}
