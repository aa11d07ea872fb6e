import { cfnErrors } from '../errors.js';
import type { TemplateObject } from './parse.js';

/** A parameter as CreateStack, UpdateStack or CreateChangeSet sent it. */
export interface GivenParameter {
  key: string;
  value?: string;
  usePreviousValue?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The template's parameters, with what the caller gave, the previous stack's values and defaults, checked as CloudFormation checks them. */
export function resolveParameters(
  declared: TemplateObject | undefined,
  given: GivenParameter[],
  previous: Record<string, string> = {},
  ssm?: (name: string) => string | undefined,
): { values: Map<string, string | string[]>; raw: Record<string, string> } {
  const decl = isObject(declared) ? declared : {};
  const unknown = given.filter((g) => !(g.key in decl)).map((g) => g.key);
  if (unknown.length > 0) throw cfnErrors.validation(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const values = new Map<string, string | string[]>();
  const raw: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(decl)) {
    if (!isObject(spec)) continue;
    const g = given.find((p) => p.key === name);
    let value: string | undefined;
    if (g?.usePreviousValue) value = previous[name];
    else if (g?.value !== undefined) value = g.value;
    else if (spec.Default !== undefined) value = Array.isArray(spec.Default) ? spec.Default.join(',') : String(spec.Default);
    if (value === undefined) {
      missing.push(name);
      continue;
    }
    const type = String(spec.Type ?? 'String');
    check(name, value, type, spec);
    raw[name] = value;
    if (type.startsWith('AWS::SSM::Parameter::Value<')) {
      const resolved = ssm?.(value);
      if (resolved === undefined) throw cfnErrors.validation(`Unable to fetch parameters [${value}] from parameter store for this account.`);
      values.set(name, type.includes('List<') || type.includes('CommaDelimitedList') ? resolved.split(',') : resolved);
    } else {
      values.set(name, isListType(type) ? (value === '' ? [] : value.split(',').map((s) => s.trim())) : value);
    }
  }
  if (missing.length > 0) throw cfnErrors.validation(`Parameters: [${missing.join(', ')}] must have values`);
  return { values, raw };
}

function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

const KNOWN_TYPES = /^(String|Number|CommaDelimitedList|List<Number>|List<String>|AWS::[A-Za-z0-9]+::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>|AWS::SSM::Parameter::(Name|Value<.+>))$/;

/** A parameter's value against its declaration (type, AllowedValues, AllowedPattern, lengths, bounds). */
function check(name: string, value: string, type: string, spec: Record<string, unknown>): void {
  if (!KNOWN_TYPES.test(type)) throw cfnErrors.validation(`Template format error: Unrecognized parameter type: ${type}`);
  const fail = (text: string): never => {
    throw cfnErrors.validation(typeof spec.ConstraintDescription === 'string' ? `Parameter '${name}' ${spec.ConstraintDescription}` : text);
  };
  const items = isListType(type) ? value.split(',').map((s) => s.trim()) : [value];
  for (const item of items) {
    if (type === 'Number' || type === 'List<Number>') {
      if (item === '' || !Number.isFinite(Number(item))) throw cfnErrors.validation(`Parameter '${name}' must be a number`);
      if (spec.MinValue !== undefined && Number(item) < Number(spec.MinValue)) fail(`Parameter '${name}' must be a number not less than ${String(spec.MinValue)}`);
      if (spec.MaxValue !== undefined && Number(item) > Number(spec.MaxValue)) fail(`Parameter '${name}' must be a number not greater than ${String(spec.MaxValue)}`);
    }
    if (Array.isArray(spec.AllowedValues) && !spec.AllowedValues.map(String).includes(item)) fail(`Parameter '${name}' must be one of AllowedValues`);
  }
  if (type === 'String') {
    if (typeof spec.AllowedPattern === 'string' && !new RegExp(`^(?:${spec.AllowedPattern})$`).test(value)) fail(`Parameter '${name}' must match pattern ${spec.AllowedPattern}`);
    if (spec.MinLength !== undefined && value.length < Number(spec.MinLength)) fail(`Parameter '${name}' must contain at least ${String(spec.MinLength)} characters`);
    if (spec.MaxLength !== undefined && value.length > Number(spec.MaxLength)) fail(`Parameter '${name}' must contain at most ${String(spec.MaxLength)} characters`);
  }
}

/** Parameters as DescribeStacks shows them: NoEcho values masked. */
export function shownParameters(declared: TemplateObject | undefined, raw: Record<string, string>): { key: string; value: string }[] {
  const decl = isObject(declared) ? declared : {};
  return Object.entries(raw).map(([key, value]) => {
    const spec = decl[key];
    const noEcho = isObject(spec) && (spec.NoEcho === true || spec.NoEcho === 'true');
    return { key, value: noEcho ? '****' : value };
  });
}

/** The Parameter Store names the template's `AWS::SSM::Parameter::Value<…>` parameters read, given what the caller sent. */
export function ssmParameterNames(declared: TemplateObject | undefined, given: GivenParameter[], previous: Record<string, string> = {}): string[] {
  const decl = isObject(declared) ? declared : {};
  const names: string[] = [];
  for (const [name, spec] of Object.entries(decl)) {
    if (!isObject(spec) || !String(spec.Type ?? '').startsWith('AWS::SSM::Parameter::Value<')) continue;
    const g = given.find((p) => p.key === name);
    const value = g?.usePreviousValue ? previous[name] : (g?.value ?? (spec.Default === undefined ? undefined : String(spec.Default)));
    if (value !== undefined) names.push(value);
  }
  return names;
}
