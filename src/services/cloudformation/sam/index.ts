import { InvalidResourceError, SamTransformError } from './errors.js';
import { globalsFor, mergeGlobal, parseGlobals } from './globals.js';
import { ExpansionScope } from './expansion-scope.js';
import { emitHttpApis, registerHttpApi } from './http-api.js';
import { emitRestApis, registerRestApi } from './rest-api.js';
import { expandLayerVersion } from './layer-version.js';
import { parameterValues } from './parameter-values.js';
import { renameReferences } from './references.js';
import { expandServerlessFunction } from './serverless-function.js';
import { expandSimpleTable } from './simple-table.js';
import { clone, isObject, type CfnResource, type JsonObject, type TransformContext } from './template-model.js';

export { SamTransformError } from './errors.js';
export type { TransformContext } from './template-model.js';

/** The context, plus the stack's parameter values when the caller knows them (for alias names and version hashes). */
export interface SamTransformContext extends TransformContext {
  parameterValues?: Record<string, unknown>;
}

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

type Expander = (scope: ExpansionScope, logicalId: string, resource: CfnResource) => void;

/** Expanded in this order, as samtranslator does: APIs collect routes before functions add them. */
const FIRST_PASS: Readonly<Record<string, Expander>> = {
  'AWS::Serverless::HttpApi': registerHttpApi,
  'AWS::Serverless::Api': registerRestApi,
};
const EXPANDERS: Readonly<Record<string, Expander>> = {
  'AWS::Serverless::Function': expandServerlessFunction,
  'AWS::Serverless::LayerVersion': expandLayerVersion,
  'AWS::Serverless::SimpleTable': expandSimpleTable,
};
/** SAM resource types Lambkin does not translate, with the reason the user sees. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  'AWS::Serverless::StateMachine': 'Lambkin has no Step Functions.',
  'AWS::Serverless::Application': 'Lambkin cannot fetch applications from the Serverless Application Repository.',
  'AWS::Serverless::Connector': "Lambkin's SAM transform does not support AWS::Serverless::Connector.",
  'AWS::Serverless::GraphQLApi': 'Lambkin has no AppSync.',
  'AWS::Serverless::CapacityProvider': 'Lambkin has no Lambda capacity providers.',
  'AWS::Serverless::WebSocketApi': 'Lambkin has no WebSocket APIs.',
};

/** Whether a template's `Transform` (a string or a list) names the SAM transform. */
export function namesSamTransform(template: Record<string, unknown>): boolean {
  const transform = template.Transform;
  return transform === SAM_TRANSFORM || (Array.isArray(transform) && transform.includes(SAM_TRANSFORM));
}

/**
 * The SAM transform: a template using `AWS::Serverless::*` resources in, plain CloudFormation out,
 * as AWS's translator (samtranslator) writes it. Pure: no I/O, the input is not modified. Every
 * problem found is reported at once in one SamTransformError, as CloudFormation does.
 */
export function expandServerlessTransform(template: Record<string, unknown>, context: SamTransformContext): Record<string, unknown> {
  const input = clone(template);
  const globals = parseGlobals(input.Globals);
  const resources = input.Resources;
  if (!isObject(resources)) throw new SamTransformError(["Structure of the SAM template is invalid. 'Resources' section is required"]);

  const parameters = parameterValues(input, context.parameterValues, context.region, context.partition);
  const scope = new ExpansionScope(context, { Resources: resources as Record<string, CfnResource>, Conditions: input.Conditions as JsonObject | undefined }, globals, parameters);
  const causes: string[] = [];
  const run = (step: () => void): void => {
    try {
      step();
    } catch (error) {
      if (error instanceof InvalidResourceError) causes.push(error.message);
      else if (error instanceof SamTransformError) causes.push(...error.causes);
      else throw error;
    }
  };
  // Non-SAM resources first, as written, so events can edit them (an S3 bucket gains notifications).
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || typeof resource.Type !== 'string' || !resource.Type.startsWith('AWS::Serverless::')) {
      scope.put(logicalId, resource as unknown as CfnResource);
    }
  }
  const samResources = Object.entries(resources).filter(
    (entry): entry is [string, CfnResource & JsonObject] => isObject(entry[1]) && typeof entry[1].Type === 'string' && entry[1].Type.startsWith('AWS::Serverless::'),
  );
  for (const pass of [FIRST_PASS, EXPANDERS]) {
    for (const [logicalId, resource] of samResources) {
      const expander = pass[resource.Type];
      if (!expander) continue;
      if (!/^[A-Za-z0-9]+$/.test(logicalId)) {
        if (pass === EXPANDERS) causes.push(new InvalidResourceError(logicalId, 'Logical ids must be alphanumeric.').message);
        continue;
      }
      run(() => expander(scope, logicalId, applyGlobals(logicalId, resource, globals)));
    }
  }
  for (const [logicalId, resource] of samResources) {
    if (FIRST_PASS[resource.Type] || EXPANDERS[resource.Type]) continue;
    const reason = UNSUPPORTED[resource.Type] ?? `Lambkin's SAM transform does not know the type ${resource.Type}.`;
    causes.push(new InvalidResourceError(logicalId, reason).message);
  }
  run(() => emitHttpApis(scope));
  run(() => emitRestApis(scope));
  if (causes.length > 0) throw new SamTransformError(causes.sort());
  renameReferences(scope.resources, scope.renamed);

  const output: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'Transform' || key === 'Globals') continue;
    output[key] = key === 'Resources' ? scope.resources : key === 'Outputs' ? renameReferences(value, scope.renamed) : value;
  }
  if (Object.keys(scope.conditions).length > 0) {
    output.Conditions = { ...(isObject(input.Conditions) ? input.Conditions : {}), ...scope.conditions };
  }
  return output;
}

function applyGlobals(logicalId: string, resource: CfnResource, globals: Map<string, JsonObject>): CfnResource {
  const forType = globals.get(resource.Type);
  const ignore = (resource as unknown as JsonObject).IgnoreGlobals;
  const properties = resource.Properties ?? {};
  if (!forType) return { ...resource, Properties: properties };
  const merged = mergeGlobal(globalsFor(logicalId, forType, ignore), properties) as JsonObject;
  return { ...resource, Properties: merged };
}
