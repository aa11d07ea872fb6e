import { InvalidResourceError } from './errors.js';
import { logicalIdHash } from './logical-id-hash.js';
import { resolveParameterRefs } from './parameter-values.js';
import { compact, getAtt, isObject, ref, type CfnResource, type JsonObject } from './template-model.js';
import type { FunctionCore } from './function.js';
import type { ExpansionScope } from './expansion-scope.js';

export interface PublishedAlias {
  logicalId: string;
  name: string;
}

const ALIAS_NAME = /^(?!^[0-9]+$)([a-zA-Z0-9\-_]+)$/;

/**
 * AutoPublishAlias: a Lambda version whose logical id ends in a hash of what should publish a new
 * version (the resolved code location, Environment and MemorySize, SnapStart when on; or every
 * function property with AutoPublishAliasAllProperties), kept on delete, and an alias to it.
 */
export function publishAlias(scope: ExpansionScope, core: FunctionCore, parameters: Record<string, unknown>): PublishedAlias | undefined {
  const { properties, logicalId, lambda } = core;
  if (properties.ProvisionedConcurrencyConfig && !properties.AutoPublishAlias) {
    throw new InvalidResourceError(logicalId, 'To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function');
  }
  if (!properties.AutoPublishAlias) return undefined;
  const name = resolveParameterRefs(properties.AutoPublishAlias, parameters);
  if (typeof name !== 'string') {
    throw new InvalidResourceError(logicalId, "'AutoPublishAlias' must be a string or a Ref to a template parameter");
  }

  let codeSha256: string | undefined;
  if (properties.AutoPublishCodeSha256 !== undefined) {
    const resolved = resolveParameterRefs(properties.AutoPublishCodeSha256, parameters);
    if (typeof resolved !== 'string') throw new InvalidResourceError(logicalId, 'AutoPublishCodeSha256 must be a string');
    codeSha256 = resolved;
    // Lambda publishes no new version for unchanged code, so the hash goes into the description.
    const description = resolveParameterRefs(properties.Description, parameters);
    lambda.Description = !description ? codeSha256 : typeof description === 'string' ? `${description} ${codeSha256}` : { 'Fn::Join': [' ', [description, codeSha256]] };
  }

  // samtranslator resolves the parameters inside Code in place, so the function keeps the resolved values.
  lambda.Code = resolveParameterRefs(lambda.Code, parameters);
  let hashed: JsonObject;
  if (properties.AutoPublishAliasAllProperties === true) {
    hashed = structuredClone(lambda);
    for (const layer of Array.isArray(lambda.Layers) ? lambda.Layers : []) {
      const layerId = isObject(layer) && typeof layer.Ref === 'string' ? layer.Ref : undefined;
      const layerResource = layerId ? scope.input.Resources[layerId] : undefined;
      if (layerResource && layerResource.Properties?.PublishLambdaVersion) hashed[layerId!] = layerResource.Properties;
    }
  } else {
    hashed = { ...(lambda.Code as JsonObject) };
    if (isObject(lambda.Environment)) Object.assign(hashed, lambda.Environment);
    if (lambda.MemorySize) hashed.MemorySize = lambda.MemorySize;
    if (isObject(lambda.SnapStart) && (lambda.SnapStart.ApplyOn ?? 'None') !== 'None') hashed.SnapStart = lambda.SnapStart;
  }
  const versionId = `${logicalId}Version${logicalIdHash(hashed, codeSha256)}`;
  const versionAttributes: JsonObject = { ...core.inherited };
  versionAttributes.DeletionPolicy ??= properties.VersionDeletionPolicy ?? (properties.CapacityProviderConfig !== undefined ? 'Delete' : 'Retain');
  const version: CfnResource = {
    Type: 'AWS::Lambda::Version',
    Properties: compact({
      FunctionName: ref(logicalId),
      Description: properties.VersionDescription,
      FunctionScalingConfig: properties.CapacityProviderConfig !== undefined ? properties.FunctionScalingConfig : undefined,
    }),
    ...versionAttributes,
  };
  if (!name) throw new InvalidResourceError(logicalId, 'Alias name is required to create an alias');
  if (!ALIAS_NAME.test(name)) {
    throw new InvalidResourceError(
      logicalId,
      `AutoPublishAlias name ('${name}') must contain only alphanumeric characters, hyphens, or underscores matching (?!^[0-9]+$)([a-zA-Z0-9-_]+) pattern.`,
    );
  }
  const aliasId = `${logicalId}Alias${name.replaceAll('-', 'D').replaceAll('_', 'U')}`;
  const alias: CfnResource = {
    Type: 'AWS::Lambda::Alias',
    Properties: compact({
      Name: name,
      FunctionName: ref(logicalId),
      FunctionVersion: getAtt(versionId, 'Version'),
      ProvisionedConcurrencyConfig: properties.ProvisionedConcurrencyConfig || undefined,
    }),
    ...core.inherited,
  };
  scope.add(logicalId, versionId, version);
  scope.add(logicalId, aliasId, alias);
  return { logicalId: aliasId, name };
}
