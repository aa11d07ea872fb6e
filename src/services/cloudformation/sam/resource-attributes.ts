import type { CfnResource, JsonObject } from './template-model.js';

/** Resource attributes a SAM resource keeps on its main resource, and the ones its children inherit. */
const OWN_ATTRIBUTES = ['DeletionPolicy', 'UpdatePolicy', 'Condition', 'UpdateReplacePolicy', 'Metadata'] as const;
const INHERITED_ATTRIBUTES = ['Condition', 'DeletionPolicy', 'UpdateReplacePolicy'] as const;

export function ownAttributes(resource: CfnResource): JsonObject {
  const out: JsonObject = {};
  for (const name of OWN_ATTRIBUTES) if (resource[name] !== undefined) out[name] = resource[name];
  if (resource.DependsOn !== undefined) out.DependsOn = resource.DependsOn;
  return out;
}

export function inheritedAttributes(resource: CfnResource): JsonObject {
  const out: JsonObject = {};
  for (const name of INHERITED_ATTRIBUTES) if (resource[name] !== undefined) out[name] = resource[name];
  return out;
}
