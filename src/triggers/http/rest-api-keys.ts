import type { ApiKeyDoc, StoredUsagePlan } from '../../services/apigatewayv2/rest/model.js';
import { ACCOUNT_LEVEL } from '../../services/apigatewayv2/rest/usage-plans.js';
import { countRequest } from '../../services/apigatewayv2/rest/usage-counters.js';
import type { ApigwScope, ApigwStore } from '../../services/apigatewayv2/store.js';
import type { HttpReply } from './http-reply.js';
import type { RestCall } from './rest-call.js';
import { restReplies } from './rest-api-replies.js';

/**
 * API keys of methods with apiKeyRequired: the `x-api-key` value (or, with `apiKeySource:
 * AUTHORIZER`, the Lambda authorizer's `usageIdentifierKey`) must be an enabled key of a usage
 * plan bound to the API's stage. The plan's throttle and quota are counted in the store
 * (`usage-counters.ts`), so they hold across restarts and are shared by the nodes of a cluster.
 */
export class RestApiKeys {
  private cache = new Map<string, { generation: number; keys: ApiKeyDoc[]; plans: StoredUsagePlan[] }>();

  constructor(
    private readonly store: ApigwStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Undefined when the request may go on (and `call.apiKey` is set), else API Gateway's 403 or 429.
   * `value` is the key to check: the `x-api-key` header unless the API takes it from its authorizer.
   */
  async check(call: RestCall, value: string | undefined): Promise<HttpReply | undefined> {
    if (!value) return restReplies.forbidden();
    const { keys, plans } = await this.load(call.routing.scope);
    const key = keys.find((k) => k.value === value && k.enabled);
    const apiId = call.routing.api.id;
    const plan = key && plans.find((p) => p.keyIds.includes(key.id) && p.doc.apiStages.some((s) => s.apiId === apiId && s.stage === call.stage.stageName));
    if (!key || !plan) return restReplies.forbidden();
    const slot = { ...call.routing.scope, planId: plan.doc.id, keyId: key.id };
    const verdict = await countRequest(this.store.db, slot, plan, this.now());
    if (verdict === 'throttled') return restReplies.tooManyRequests();
    if (verdict === 'quota-exceeded') return restReplies.limitExceeded();
    call.apiKey = { id: key.id, value: key.value };
    return undefined;
  }

  private async load(scope: ApigwScope): Promise<{ keys: ApiKeyDoc[]; plans: StoredUsagePlan[] }> {
    const name = `${scope.accountId}/${scope.region}`;
    const generation = this.store.generation;
    const cached = this.cache.get(name);
    if (cached && cached.generation === generation) return cached;
    const loaded = {
      generation,
      keys: await this.store.listInScope<ApiKeyDoc>(scope, ACCOUNT_LEVEL, 'apikey'),
      plans: await this.store.listInScope<StoredUsagePlan>(scope, ACCOUNT_LEVEL, 'usageplan'),
    };
    if (this.cache.size >= 100) this.cache.clear();
    this.cache.set(name, loaded);
    return loaded;
  }
}
