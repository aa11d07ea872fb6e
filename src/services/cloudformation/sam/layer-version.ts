import { s3Location } from './code-location.js';
import { InvalidResourceError } from './errors.js';
import { inheritedAttributes } from './resource-attributes.js';
import { logicalIdHash } from './logical-id-hash.js';
import { resolveParameterRefs } from './parameter-values.js';
import { compact, isIntrinsic, type CfnResource, type JsonObject } from './template-model.js';
import type { ExpansionScope } from './expansion-scope.js';

const RETENTION_OPTIONS = ['Retain', 'Delete'];

function retention(logicalId: string, value: unknown): string | undefined {
  if (isIntrinsic(value)) {
    throw new InvalidResourceError(logicalId, "'RetentionPolicy' does not accept intrinsic functions, please use one of the following options: ['Retain', 'Delete']");
  }
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidResourceError(logicalId, "Invalid 'RetentionPolicy' type, please use one of the following options: ['Retain', 'Delete']");
  const found = RETENTION_OPTIONS.find((option) => option.toLowerCase() === value.toLowerCase());
  if (!found) throw new InvalidResourceError(logicalId, "'RetentionPolicy' must be one of the following options: ['Retain', 'Delete'].");
  return found;
}

/**
 * AWS::Serverless::LayerVersion → AWS::Lambda::LayerVersion under `<Id><hash of the SAM resource>`,
 * so any change publishes a new layer version; old versions are kept (Retain) unless
 * RetentionPolicy says Delete. References to `<Id>` elsewhere are renamed to the new id.
 */
export function expandLayerVersion(scope: ExpansionScope, logicalId: string, resource: CfnResource): void {
  const properties: JsonObject = { ...(resource.Properties ?? {}) };
  if (properties.ContentUri === undefined) throw new InvalidResourceError(logicalId, "Missing required property 'ContentUri'.");
  for (const name of ['LayerName', 'LicenseInfo', 'Description', 'RetentionPolicy']) {
    if (properties[name] === undefined) continue;
    const resolved = resolveParameterRefs(properties[name], scope.parameters);
    if (typeof resolved === 'string') properties[name] = resolved;
  }
  const retained = retention(logicalId, properties.RetentionPolicy);
  const attributes: JsonObject = inheritedAttributes(resource);
  attributes.DeletionPolicy ??= 'Retain';
  if (retained !== undefined) attributes.DeletionPolicy = retained;

  // samtranslator hashes its own dict of the SAM resource: type, properties, DependsOn and Condition.
  const hashed: JsonObject = { Type: resource.Type, Properties: properties };
  if (resource.Condition !== undefined) hashed.Condition = resource.Condition;
  if (resource.DependsOn !== undefined) hashed.DependsOn = resource.DependsOn;
  if (resource.UpdatePolicy !== undefined) hashed.UpdatePolicy = resource.UpdatePolicy;
  const newId = `${logicalId}${logicalIdHash({ [logicalId]: hashed })}`;

  const out: CfnResource = {
    Type: 'AWS::Lambda::LayerVersion',
    Properties: compact({
      LayerName: properties.LayerName ?? logicalId,
      Description: properties.Description,
      Content: s3Location(properties.ContentUri, newId, 'ContentUri'),
      CompatibleArchitectures: properties.CompatibleArchitectures,
      CompatibleRuntimes: properties.CompatibleRuntimes,
      LicenseInfo: properties.LicenseInfo,
    }),
    ...attributes,
  };
  if (resource.DependsOn !== undefined) out.DependsOn = resource.DependsOn;
  if (resource.UpdatePolicy !== undefined) out.UpdatePolicy = resource.UpdatePolicy;
  if (resource.Metadata !== undefined) out.Metadata = resource.Metadata;
  scope.add(logicalId, newId, out);
  scope.rename(logicalId, newId);
}
