import {
  CreateApiKeyCommand, CreateAuthorizerCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, DeleteApiKeyCommand, DeleteAuthorizerCommand,
  DeleteUsagePlanCommand, DeleteUsagePlanKeyCommand, UpdateAuthorizerCommand, UpdateUsagePlanCommand, type AuthorizerType, type PatchOperation, type QuotaPeriodType,
} from '@aws-sdk/client-api-gateway';
import { bool, num, str, strList } from './coerce.js';
import { generatedName, ignoreNotFound, type ResourceProvider } from './provider.js';

/** Who may call a REST API: Lambda and Cognito authorizers, API keys, usage plans and their keys. */

const tagMap = (tags: unknown) =>
  Object.fromEntries(((tags as Array<{ Key: string; Value: string }> | undefined) ?? []).map((t) => [t.Key, t.Value]));

/** `~1` for `/` in a patch path segment (RFC 6901). */
const escapeSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** `AWS::ApiGateway::Authorizer` (TOKEN, REQUEST, COGNITO_USER_POOLS); `Ref` is the authorizer id. */
export const apigatewayAuthorizer: ResourceProvider = {
  replaceOn: ['RestApiId'],
  async create(ctx, props) {
    const a = await ctx.clients.apigateway.send(new CreateAuthorizerCommand({
      restApiId: str(props.RestApiId)!, name: str(props.Name)!, type: str(props.Type) as AuthorizerType,
      authorizerUri: str(props.AuthorizerUri), authorizerCredentials: str(props.AuthorizerCredentials), authType: str(props.AuthType),
      identitySource: str(props.IdentitySource), identityValidationExpression: str(props.IdentityValidationExpression),
      authorizerResultTtlInSeconds: num(props.AuthorizerResultTtlInSeconds), providerARNs: strList(props.ProviderARNs),
    }));
    return { physicalId: a.id!, attributes: { AuthorizerId: a.id } };
  },
  async update(ctx, id, props, old) {
    const ops: PatchOperation[] = [];
    const members: Array<[string, string]> = [
      ['Name', '/name'], ['Type', '/type'], ['AuthType', '/authType'], ['AuthorizerUri', '/authorizerUri'], ['AuthorizerCredentials', '/authorizerCredentials'],
      ['IdentitySource', '/identitySource'], ['IdentityValidationExpression', '/identityValidationExpression'], ['AuthorizerResultTtlInSeconds', '/authorizerResultTtlInSeconds'],
    ];
    for (const [prop, path] of members) if (str(props[prop]) !== str(old[prop])) ops.push({ op: 'replace', path, value: str(props[prop]) ?? '' });
    const before = strList(old.ProviderARNs) ?? [];
    const after = strList(props.ProviderARNs) ?? [];
    for (const arn of after) if (!before.includes(arn)) ops.push({ op: 'add', path: `/providerARNs/${escapeSegment(arn)}` });
    for (const arn of before) if (!after.includes(arn)) ops.push({ op: 'remove', path: `/providerARNs/${escapeSegment(arn)}` });
    if (ops.length > 0) await ctx.clients.apigateway.send(new UpdateAuthorizerCommand({ restApiId: str(props.RestApiId)!, authorizerId: id, patchOperations: ops }));
    return { attributes: { AuthorizerId: id } };
  },
  async delete(ctx, id, props) {
    await ignoreNotFound(ctx.clients.apigateway.send(new DeleteAuthorizerCommand({ restApiId: str(props.RestApiId)!, authorizerId: id })));
  },
};

/** `AWS::ApiGateway::ApiKey`; `Ref` is the key id (`APIKeyId`), the value stays in API Gateway. */
export const apigatewayApiKey: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx, props) {
    const key = await ctx.clients.apigateway.send(new CreateApiKeyCommand({
      name: str(props.Name) ?? generatedName(ctx, 128), description: str(props.Description), enabled: bool(props.Enabled) ?? false,
      value: str(props.Value), customerId: str(props.CustomerId), tags: tagMap(props.Tags),
    }));
    return { physicalId: key.id!, attributes: { APIKeyId: key.id } };
  },
  async delete(ctx, id) {
    await ignoreNotFound(ctx.clients.apigateway.send(new DeleteApiKeyCommand({ apiKey: id })));
  },
};

type Stage = { ApiId?: unknown; Stage?: unknown };
const stageId = (s: Stage) => `${str(s.ApiId)}:${str(s.Stage)}`;

/** `AWS::ApiGateway::UsagePlan`, updated in place with UpdateUsagePlan; `Ref` is the plan id. */
export const apigatewayUsagePlan: ResourceProvider = {
  replaceOn: [],
  async create(ctx, props) {
    const throttle = props.Throttle as Record<string, unknown> | undefined;
    const quota = props.Quota as Record<string, unknown> | undefined;
    const plan = await ctx.clients.apigateway.send(new CreateUsagePlanCommand({
      name: str(props.UsagePlanName) ?? generatedName(ctx, 128), description: str(props.Description),
      apiStages: ((props.ApiStages as Stage[] | undefined) ?? []).map((s) => ({ apiId: str(s.ApiId), stage: str(s.Stage) })),
      throttle: throttle ? { burstLimit: num(throttle.BurstLimit), rateLimit: num(throttle.RateLimit) } : undefined,
      quota: quota ? { limit: num(quota.Limit), offset: num(quota.Offset), period: str(quota.Period) as QuotaPeriodType } : undefined,
      tags: tagMap(props.Tags),
    }));
    return { physicalId: plan.id!, attributes: { Id: plan.id } };
  },
  async update(ctx, id, props, old) {
    const ops: PatchOperation[] = [];
    if (str(props.UsagePlanName) !== str(old.UsagePlanName) && props.UsagePlanName !== undefined) ops.push({ op: 'replace', path: '/name', value: str(props.UsagePlanName) });
    if (str(props.Description) !== str(old.Description)) ops.push({ op: 'replace', path: '/description', value: str(props.Description) ?? '' });
    const before = ((old.ApiStages as Stage[] | undefined) ?? []).map(stageId);
    const after = ((props.ApiStages as Stage[] | undefined) ?? []).map(stageId);
    for (const s of after) if (!before.includes(s)) ops.push({ op: 'add', path: '/apiStages', value: s });
    for (const s of before) if (!after.includes(s)) ops.push({ op: 'remove', path: '/apiStages', value: s });
    for (const [prop, part, members] of [['Throttle', 'throttle', [['BurstLimit', 'burstLimit'], ['RateLimit', 'rateLimit']]], ['Quota', 'quota', [['Limit', 'limit'], ['Offset', 'offset'], ['Period', 'period']]]] as const) {
      const now = props[prop] as Record<string, unknown> | undefined;
      const was = old[prop] as Record<string, unknown> | undefined;
      if (JSON.stringify(now) === JSON.stringify(was)) continue;
      if (!now) {
        ops.push({ op: 'remove', path: `/${part}` });
        continue;
      }
      for (const [key, member] of members) if (now[key] !== undefined) ops.push({ op: 'replace', path: `/${part}/${member}`, value: str(now[key]) });
    }
    if (ops.length > 0) await ctx.clients.apigateway.send(new UpdateUsagePlanCommand({ usagePlanId: id, patchOperations: ops }));
    return { attributes: { Id: id } };
  },
  async delete(ctx, id) {
    await ignoreNotFound(ctx.clients.apigateway.send(new DeleteUsagePlanCommand({ usagePlanId: id })));
  },
};

/** `AWS::ApiGateway::UsagePlanKey`: an API key in a usage plan; `Ref` is the key id. */
export const apigatewayUsagePlanKey: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx, props) {
    const key = await ctx.clients.apigateway.send(new CreateUsagePlanKeyCommand({ usagePlanId: str(props.UsagePlanId)!, keyId: str(props.KeyId)!, keyType: str(props.KeyType) ?? 'API_KEY' }));
    return { physicalId: key.id! };
  },
  async delete(ctx, id, props) {
    await ignoreNotFound(ctx.clients.apigateway.send(new DeleteUsagePlanKeyCommand({ usagePlanId: str(props.UsagePlanId)!, keyId: id })));
  },
};
