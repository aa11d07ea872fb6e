import { randomBytes } from 'node:crypto';
import {
  APIGatewayClient, CreateDeploymentCommand, CreateStageCommand, UpdateStageCommand, CreateResourceCommand, CreateRestApiCommand, DeleteDeploymentCommand, DeleteMethodCommand, DeleteResourceCommand,
  DeleteRestApiCommand, DeleteStageCommand, GetStageCommand, ImportRestApiCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
  PutRestApiCommand, UpdateRestApiCommand, type EndpointType, type IntegrationType, type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { bool, str, strList } from './coerce.js';
import { ignoreNotFound, type ProviderContext, type ResourceProvider } from './provider.js';

/** Lambkin's REST APIs through the API Gateway client, over loopback like every provider's calls. */
function client(ctx: ProviderContext): APIGatewayClient {
  return ctx.clients.apigateway;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null || typeof v !== 'object') return undefined;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
}

/** `{name: "true"}` of a template (CloudFormation accepts booleans as text) as the API's booleans. */
function booleanMap(v: unknown): Record<string, boolean> | undefined {
  if (v === undefined || v === null || typeof v !== 'object') return undefined;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, bool(x) ?? false]));
}

/**
 * The OpenAPI document of `Body` (an object, or JSON/YAML text) or `BodyS3Location` (an object on
 * Lambkin's S3), as the bytes ImportRestApi/PutRestApi take; undefined when there is neither.
 */
async function definition(ctx: ProviderContext, props: Record<string, unknown>): Promise<Uint8Array | undefined> {
  if (props.Body !== undefined) return Buffer.from(typeof props.Body === 'string' ? props.Body : JSON.stringify(props.Body));
  const location = props.BodyS3Location as { Bucket?: unknown; Key?: unknown; Version?: unknown } | undefined;
  if (!location) return undefined;
  const got = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: str(location.Bucket)!, Key: str(location.Key)!, VersionId: str(location.Version) }));
  return got.Body!.transformToByteArray();
}

/** The properties that, given with a definition, override what the document says (as CloudFormation applies them after the import). */
function overrides(props: Record<string, unknown>): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (props.Name !== undefined) ops.push({ op: 'replace', path: '/name', value: str(props.Name) });
  if (props.Description !== undefined) ops.push({ op: 'replace', path: '/description', value: str(props.Description) });
  for (const type of (props.BinaryMediaTypes as string[] | undefined) ?? []) ops.push({ op: 'add', path: `/binaryMediaTypes/${type.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  if (props.ApiKeySourceType !== undefined) ops.push({ op: 'replace', path: '/apiKeySource', value: str(props.ApiKeySourceType) });
  if (props.DisableExecuteApiEndpoint !== undefined) ops.push({ op: 'replace', path: '/disableExecuteApiEndpoint', value: String(bool(props.DisableExecuteApiEndpoint)) });
  return ops;
}

/**
 * `AWS::ApiGateway::RestApi`: `Ref` is the API id, `RootResourceId` its `/` resource. A `Body` or
 * `BodyS3Location` is imported (ImportRestApi), and a changed one overwrites the API (PutRestApi
 * mode=overwrite), as CloudFormation does; the other properties then override the document's.
 */
export const apigatewayRestApi: ResourceProvider = {
  replaceOn: [],
  async create(ctx, props) {
    const types = (props.EndpointConfiguration as { Types?: string[] } | undefined)?.Types;
    const body = await definition(ctx, props);
    if (body) {
      const imported = await client(ctx).send(new ImportRestApiCommand({ body, parameters: types ? { endpointConfigurationTypes: types.join(',') } : undefined }));
      const ops = overrides(props);
      if (ops.length > 0) await client(ctx).send(new UpdateRestApiCommand({ restApiId: imported.id!, patchOperations: ops }));
      return { physicalId: imported.id!, attributes: { RestApiId: imported.id, RootResourceId: imported.rootResourceId } };
    }
    const api = await client(ctx).send(new CreateRestApiCommand({
      name: str(props.Name)!,
      description: str(props.Description),
      endpointConfiguration: types ? { types: types as EndpointType[] } : undefined,
      binaryMediaTypes: props.BinaryMediaTypes as string[] | undefined,
      apiKeySource: str(props.ApiKeySourceType) as never,
      disableExecuteApiEndpoint: props.DisableExecuteApiEndpoint === undefined ? undefined : bool(props.DisableExecuteApiEndpoint),
      tags: stringMap(Object.fromEntries(((props.Tags as { Key: string; Value: string }[] | undefined) ?? []).map((t) => [t.Key, t.Value]))),
    }));
    return { physicalId: api.id!, attributes: { RestApiId: api.id, RootResourceId: api.rootResourceId } };
  },
  async update(ctx, id, props, old) {
    const changed = (key: string) => JSON.stringify(props[key]) !== JSON.stringify(old[key]);
    if (changed('Body') || changed('BodyS3Location')) {
      const body = await definition(ctx, props);
      if (body) {
        await client(ctx).send(new PutRestApiCommand({ restApiId: id, mode: 'overwrite', body }));
        const ops = overrides(props);
        if (ops.length > 0) await client(ctx).send(new UpdateRestApiCommand({ restApiId: id, patchOperations: ops }));
        return;
      }
    }
    const ops: PatchOperation[] = [];
    if (props.Name !== old.Name) ops.push({ op: 'replace', path: '/name', value: str(props.Name) });
    if (props.Description !== old.Description) ops.push({ op: 'replace', path: '/description', value: str(props.Description) ?? '' });
    if (ops.length > 0) await client(ctx).send(new UpdateRestApiCommand({ restApiId: id, patchOperations: ops }));
  },
  async delete(ctx, id) {
    await ignoreNotFound(client(ctx).send(new DeleteRestApiCommand({ restApiId: id })));
  },
};

/** `AWS::ApiGateway::Resource`: one path part under its parent; `Ref` is the resource id. */
export const apigatewayResource: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx, props) {
    const r = await client(ctx).send(new CreateResourceCommand({ restApiId: str(props.RestApiId)!, parentId: str(props.ParentId)!, pathPart: str(props.PathPart)! }));
    return { physicalId: r.id!, attributes: { ResourceId: r.id } };
  },
  async delete(ctx, id, props) {
    await ignoreNotFound(client(ctx).send(new DeleteResourceCommand({ restApiId: str(props.RestApiId)!, resourceId: id })));
  },
};

/** `AWS::ApiGateway::Method` with its `Integration` and `MethodResponses`; `Ref` is a generated id, as AWS's. */
export const apigatewayMethod: ResourceProvider = {
  replaceOn: ['*'],
  plannedId() {
    return randomBytes(5).toString('hex');
  },
  async create(ctx, props, plannedId) {
    const restApiId = str(props.RestApiId)!;
    const resourceId = str(props.ResourceId)!;
    const httpMethod = str(props.HttpMethod)!;
    const api = client(ctx);
    await api.send(new PutMethodCommand({
      restApiId, resourceId, httpMethod,
      authorizationType: str(props.AuthorizationType) ?? 'NONE',
      authorizerId: str(props.AuthorizerId),
      authorizationScopes: strList(props.AuthorizationScopes),
      apiKeyRequired: props.ApiKeyRequired === undefined ? undefined : bool(props.ApiKeyRequired),
      operationName: str(props.OperationName),
      requestParameters: props.RequestParameters as Record<string, boolean> | undefined,
    }));
    const integration = props.Integration as Record<string, unknown> | undefined;
    if (integration) {
      await api.send(new PutIntegrationCommand({
        restApiId, resourceId, httpMethod,
        type: str(integration.Type) as IntegrationType,
        integrationHttpMethod: str(integration.IntegrationHttpMethod),
        uri: str(integration.Uri),
        timeoutInMillis: integration.TimeoutInMillis === undefined ? undefined : Number(integration.TimeoutInMillis),
        requestTemplates: stringMap(integration.RequestTemplates),
        passthroughBehavior: str(integration.PassthroughBehavior),
        requestParameters: stringMap(integration.RequestParameters),
      }));
    }
    for (const r of (props.MethodResponses as Record<string, unknown>[] | undefined) ?? []) {
      await api.send(new PutMethodResponseCommand({
        restApiId, resourceId, httpMethod, statusCode: str(r.StatusCode)!, responseModels: stringMap(r.ResponseModels),
        responseParameters: booleanMap(r.ResponseParameters),
      }));
    }
    // After the method responses: an integration response needs the method response of its status code.
    for (const r of (integration?.IntegrationResponses as Record<string, unknown>[] | undefined) ?? []) {
      await api.send(new PutIntegrationResponseCommand({
        restApiId, resourceId, httpMethod, statusCode: str(r.StatusCode)!, selectionPattern: str(r.SelectionPattern),
        responseParameters: stringMap(r.ResponseParameters), responseTemplates: stringMap(r.ResponseTemplates),
      }));
    }
    return { physicalId: plannedId! };
  },
  async delete(ctx, _id, props) {
    await ignoreNotFound(client(ctx).send(new DeleteMethodCommand({ restApiId: str(props.RestApiId)!, resourceId: str(props.ResourceId)!, httpMethod: str(props.HttpMethod)! })));
  },
};

/**
 * `AWS::ApiGateway::Deployment`: a snapshot of the API; with `StageName` it creates (or moves) that
 * stage, which goes with it when the deployment is deleted and the stage still serves it.
 */
export const apigatewayDeployment: ResourceProvider = {
  replaceOn: ['*'],
  async create(ctx, props) {
    const d = await client(ctx).send(new CreateDeploymentCommand({
      restApiId: str(props.RestApiId)!, stageName: str(props.StageName), description: str(props.Description),
      stageDescription: str((props.StageDescription as Record<string, unknown> | undefined)?.Description),
    }));
    return { physicalId: d.id!, attributes: { DeploymentId: d.id } };
  },
  async delete(ctx, id, props) {
    const restApiId = str(props.RestApiId)!;
    const stageName = str(props.StageName);
    const api = client(ctx);
    if (stageName) {
      const stage = await api.send(new GetStageCommand({ restApiId, stageName })).catch(() => undefined);
      if (stage?.deploymentId === id) await ignoreNotFound(api.send(new DeleteStageCommand({ restApiId, stageName })));
    }
    await ignoreNotFound(api.send(new DeleteDeploymentCommand({ restApiId, deploymentId: id })));
  },
};

/** `AWS::ApiGateway::Stage`: a named stage on a deployment (SAM's `Prod`); `Ref` is the stage name. */
export const apigatewayStage: ResourceProvider = {
  replaceOn: ['RestApiId', 'StageName'],
  async create(ctx, props) {
    const stageName = str(props.StageName)!;
    await client(ctx).send(new CreateStageCommand({
      restApiId: str(props.RestApiId)!, stageName, deploymentId: str(props.DeploymentId)!, description: str(props.Description),
      variables: stringMap(props.Variables), tracingEnabled: props.TracingEnabled === undefined ? undefined : bool(props.TracingEnabled),
      tags: stringMap(Object.fromEntries(((props.Tags as { Key: string; Value: string }[] | undefined) ?? []).map((t) => [t.Key, t.Value]))),
    }));
    return { physicalId: stageName };
  },
  async update(ctx, id, props, old) {
    const ops: PatchOperation[] = [];
    if (props.DeploymentId !== old.DeploymentId) ops.push({ op: 'replace', path: '/deploymentId', value: str(props.DeploymentId) });
    if (props.Description !== old.Description) ops.push({ op: 'replace', path: '/description', value: str(props.Description) ?? '' });
    const before = stringMap(old.Variables) ?? {};
    const after = stringMap(props.Variables) ?? {};
    for (const name of Object.keys(before)) if (!(name in after)) ops.push({ op: 'remove', path: `/variables/${name}` });
    for (const [name, value] of Object.entries(after)) if (before[name] !== value) ops.push({ op: 'replace', path: `/variables/${name}`, value });
    if (ops.length > 0) await client(ctx).send(new UpdateStageCommand({ restApiId: str(props.RestApiId)!, stageName: id, patchOperations: ops }));
  },
  async delete(ctx, id, props) {
    await ignoreNotFound(client(ctx).send(new DeleteStageCommand({ restApiId: str(props.RestApiId)!, stageName: id })));
  },
};
