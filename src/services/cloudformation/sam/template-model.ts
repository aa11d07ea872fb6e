/** The shapes the SAM transform reads and writes, and the intrinsic-function builders it emits. */

export type JsonObject = Record<string, unknown>;

export interface CfnResource {
  Type: string;
  Properties?: JsonObject;
  DependsOn?: string | string[];
  Condition?: unknown;
  DeletionPolicy?: unknown;
  UpdateReplacePolicy?: unknown;
  UpdatePolicy?: unknown;
  Metadata?: unknown;
}

/** A REST API being assembled: functions' Api events add paths to its swagger body. */
export interface RestApiDraft {
  logicalId: string;
  resource: CfnResource;
  properties: JsonObject;
  /** The swagger document SAM writes or was given inline; undefined with DefinitionUri. */
  body?: JsonObject;
  /** Whether SAM writes the body (no DefinitionBody/DefinitionUri): only then do events add paths to it. */
  managed: boolean;
}

/** An HTTP API being assembled: functions' HttpApi events add routes to its OpenAPI body. */
export interface HttpApiDraft {
  logicalId: string;
  resource: CfnResource;
  properties: JsonObject;
  /** The OpenAPI document, when SAM manages it (no DefinitionUri). */
  body?: JsonObject;
  /** Whether SAM wrote the body (no DefinitionBody given): then paths take their functions' conditions. */
  managed: boolean;
  /** Per path and method, the Condition of the function behind it (null: none). */
  routeConditions: Map<string, Map<string, string | null>>;
}

export interface TransformContext {
  region: string;
  accountId: string;
  stackName: string;
  partition: string;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ "Fn::X": … }` or `{ "Ref": … }`: an object with exactly one key that names an intrinsic. */
export function isIntrinsic(value: unknown): value is JsonObject {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::') || keys[0] === 'Condition');
}

export function isIntrinsicIf(value: unknown): value is { 'Fn::If': [unknown, unknown, unknown] } {
  return isObject(value) && Object.keys(value).length === 1 && Array.isArray(value['Fn::If']);
}

export function isNoValue(value: unknown): boolean {
  return isObject(value) && value.Ref === 'AWS::NoValue';
}

export const ref = (logicalId: string): JsonObject => ({ Ref: logicalId });
export const getAtt = (logicalId: string, attribute: string): JsonObject => ({
  'Fn::GetAtt': [logicalId, attribute],
});
export const sub = (text: string, variables?: JsonObject): JsonObject =>
  variables ? { 'Fn::Sub': [text, variables] } : { 'Fn::Sub': text };

/** A deep copy of plain JSON data (templates hold nothing else). */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Drops keys whose value is undefined, as samtranslator leaves unset properties out. */
export function compact(properties: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(properties)) if (value !== undefined) out[key] = value;
  return out;
}
