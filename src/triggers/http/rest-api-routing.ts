import type { AuthorizerDoc, ResourceDoc, RestApiDoc, StageDoc, StoredDeployment } from '../../services/apigatewayv2/rest/model.js';
import type { ApigwScope, ApigwStore } from '../../services/apigatewayv2/store.js';
import { compileRoute, matchRoute, type CompiledRoute } from './http-api-routes.js';

/** What one deployment serves, compiled: resources matched by path as HTTP API routes are. */
export interface DeployedApi {
  resources: Map<string, ResourceDoc>;
  routes: CompiledRoute[];
  authorizers: Map<string, AuthorizerDoc>;
}

export interface RestApiRouting {
  generation: number;
  scope: ApigwScope;
  api: RestApiDoc;
  stages: Map<string, StageDoc>;
  deployments: Map<string, DeployedApi>;
}

/** REST APIs as the door serves them, re-read when the store's generation moves. */
export class RestApiRoutingCache {
  /** Misses too (HTTP API ids and unknown ids ask here first); emptied when it grows past a bound. */
  private readonly cache = new Map<string, { generation: number; routing: RestApiRouting | undefined }>();

  constructor(private readonly store: ApigwStore) {}

  async get(apiId: string): Promise<RestApiRouting | undefined> {
    const generation = this.store.generation;
    const cached = this.cache.get(apiId);
    if (cached && cached.generation === generation) return cached.routing;
    const routing = await this.load(apiId, generation);
    if (this.cache.size >= 1000) this.cache.clear();
    this.cache.set(apiId, { generation, routing });
    return routing;
  }

  private async load(apiId: string, generation: number): Promise<RestApiRouting | undefined> {
    const scope = await this.store.scopeOfApi(apiId, 'restapi');
    const api = scope && (await this.store.getApi<RestApiDoc>(scope, apiId, 'restapi'));
    if (!scope || !api) return undefined;
    const stages = new Map((await this.store.list<StageDoc>(apiId, 'rest-stage')).map((s) => [s.stageName, s]));
    const deployments = new Map<string, DeployedApi>();
    for (const stored of await this.store.list<StoredDeployment>(apiId, 'rest-deployment')) {
      if (![...stages.values()].some((s) => s.deploymentId === stored.doc.id)) continue;
      deployments.set(stored.doc.id, {
        resources: new Map(stored.snapshot.resources.map((r) => [r.id, r])),
        routes: stored.snapshot.resources.map((r) => compileRoute(`ANY ${r.path}`, r.id)),
        authorizers: new Map(stored.snapshot.authorizers.map((a) => [a.id, a])),
      });
    }
    return { generation, scope, api, stages, deployments };
  }
}

/** The deployed resource a path names, with its path parameters; resources are matched most specific first. */
export function matchResource(deployed: DeployedApi, path: string): { resource: ResourceDoc; pathParameters: Record<string, string> } | undefined {
  const match = matchRoute(deployed.routes, 'ANY', path);
  const resource = match?.route.target ? deployed.resources.get(match.route.target) : undefined;
  return resource && match ? { resource, pathParameters: match.pathParameters } : undefined;
}
