import { availabilityZones, NO_VALUE, pseudoParameter, type StackIdentity } from './pseudo.js';
import type { TemplateObject, TemplateValue } from './parse.js';

/** A created resource as references see it. */
export interface ResolvedResource {
  ref: string;
  attributes: Record<string, unknown>;
}

/** What intrinsic functions read while a stack's template is resolved. */
export interface ResolveScope {
  identity: StackIdentity;
  parameters: ReadonlyMap<string, string | string[]>;
  mappings: TemplateObject;
  conditions: ReadonlyMap<string, boolean>;
  /** A resource of the stack once it exists (undefined while it does not). */
  resource(logicalId: string): ResolvedResource | undefined;
  importValue(name: string): string | undefined;
}

/** A template the stack cannot be resolved with; the message is CloudFormation's. */
export class ResolveError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The value with every intrinsic function evaluated and every `AWS::NoValue` left out. */
export function resolveValue(value: unknown, scope: ResolveScope): unknown {
  const out = evaluate(value, scope);
  return out === NO_VALUE ? undefined : out;
}

function evaluate(value: unknown, scope: ResolveScope): unknown {
  if (Array.isArray(value)) return value.map((v) => evaluate(v, scope)).filter((v) => v !== NO_VALUE);
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const key = keys[0]!;
    const arg = value[key];
    if (key === 'Ref') return ref(String(arg), scope);
    if (key === 'Condition' && typeof arg === 'string') return condition(arg, scope);
    if (key.startsWith('Fn::')) return fn(key, arg, scope);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const r = evaluate(v, scope);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}

function condition(name: string, scope: ResolveScope): boolean {
  const c = scope.conditions.get(name);
  if (c === undefined) throw new ResolveError(`Template format error: Unresolved dependencies [${name}]. Cannot reference resources in the Conditions block of the template`);
  return c;
}

function ref(name: string, scope: ResolveScope): unknown {
  const param = scope.parameters.get(name);
  if (param !== undefined) return param;
  const pseudo = pseudoParameter(name, scope.identity);
  if (pseudo !== undefined) return pseudo;
  const resource = scope.resource(name);
  if (resource) return resource.ref;
  throw new ResolveError(`Template format error: Unresolved resource dependencies [${name}] in the Resources block of the template`);
}

function getAtt(logicalId: string, attribute: string, scope: ResolveScope): unknown {
  const resource = scope.resource(logicalId);
  if (!resource) throw new ResolveError(`Template format error: Unresolved resource dependencies [${logicalId}] in the Resources block of the template`);
  const v = resource.attributes[attribute];
  if (v === undefined) throw new ResolveError(`Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
  return v;
}

function str(v: unknown, fnName: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ResolveError(`Template error: every ${fnName} object requires string parameters`);
}

function list(v: unknown, fnName: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new ResolveError(`Template error: ${fnName} requires a list argument`);
}

function fn(name: string, rawArg: unknown, scope: ResolveScope): unknown {
  switch (name) {
    case 'Fn::GetAtt': {
      const arg = typeof rawArg === 'string' ? rawArg.split(/\.(.*)/s).slice(0, 2) : (evaluate(rawArg, scope) as unknown[]);
      if (!Array.isArray(arg) || arg.length !== 2) throw new ResolveError('Template error: every Fn::GetAtt object requires two non-empty parameters');
      return getAtt(str(arg[0], name), str(arg[1], name), scope);
    }
    case 'Fn::Sub': return sub(rawArg, scope);
    case 'Fn::Join': {
      const [delimiter, items] = list(rawArg, name) as [unknown, unknown];
      const values = evaluate(items, scope);
      return list(values, name).map((v) => str(v, name)).join(str(evaluate(delimiter, scope), name));
    }
    case 'Fn::Split': {
      const [delimiter, source] = list(rawArg, name);
      return str(evaluate(source, scope), name).split(str(evaluate(delimiter, scope), name));
    }
    case 'Fn::Select': {
      const [index, items] = list(rawArg, name);
      const values = list(evaluate(items, scope), name);
      const i = Number(evaluate(index, scope));
      if (!Number.isInteger(i) || i < 0 || i >= values.length) throw new ResolveError('Template error: Fn::Select cannot select nonexistent value at index ' + String(i));
      return values[i];
    }
    case 'Fn::If': {
      const [cond, whenTrue, whenFalse] = list(rawArg, name);
      return condition(str(cond, name), scope) ? evaluate(whenTrue, scope) : evaluate(whenFalse, scope);
    }
    case 'Fn::Equals': {
      const [a, b] = list(rawArg, name).map((v) => evaluate(v, scope));
      return JSON.stringify(scalarize(a)) === JSON.stringify(scalarize(b));
    }
    case 'Fn::And': return list(rawArg, name).every((v) => truthy(evaluate(v, scope), name));
    case 'Fn::Or': return list(rawArg, name).some((v) => truthy(evaluate(v, scope), name));
    case 'Fn::Not': return !truthy(evaluate(list(rawArg, name)[0], scope), name);
    case 'Fn::FindInMap': return findInMap(list(rawArg, name), scope);
    case 'Fn::ImportValue': {
      const exportName = str(evaluate(rawArg, scope), name);
      const v = scope.importValue(exportName);
      if (v === undefined) throw new ResolveError(`No export named ${exportName} found.`);
      return v;
    }
    case 'Fn::GetAZs': {
      const region = str(evaluate(rawArg, scope), name);
      return availabilityZones(region === '' ? scope.identity.region : region);
    }
    case 'Fn::Base64': return Buffer.from(str(evaluate(rawArg, scope), name)).toString('base64');
    case 'Fn::Cidr': {
      const [block, count, bits] = list(evaluate(rawArg, scope), name);
      return cidr(str(block, name), Number(count), Number(bits));
    }
    case 'Fn::Length': return list(evaluate(rawArg, scope), name).length;
    case 'Fn::ToJsonString': return JSON.stringify(evaluate(rawArg, scope));
    case 'Fn::Transform':
      // Macros other than the SAM transform run in AWS's account; Lambkin has none.
      throw new ResolveError(`Template error: Fn::Transform macro ${JSON.stringify((rawArg as Record<string, unknown>)?.Name ?? '')} is not supported by Lambkin`);
    default:
      throw new ResolveError(`Template format error: Unrecognized intrinsic function: ${name}`);
  }
}

/** Equals compares numbers and their spelling alike ("1" = 1), as CloudFormation does. */
function scalarize(v: unknown): unknown {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

function truthy(v: unknown, fnName: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new ResolveError(`Template error: ${fnName} requires boolean conditions`);
}

function findInMap(args: unknown[], scope: ResolveScope): unknown {
  const [mapName, topKey, secondKey] = args.slice(0, 3).map((v) => str(evaluate(v, scope), 'Fn::FindInMap'));
  const map = scope.mappings[mapName!];
  const top = isObject(map) ? map[topKey!] : undefined;
  const value = isObject(top) ? top[secondKey!] : undefined;
  if (value === undefined) {
    const fallback = isObject(args[3]) ? (args[3] as Record<string, unknown>).DefaultValue : undefined;
    if (fallback !== undefined) return evaluate(fallback, scope);
    if (!isObject(map)) throw new ResolveError(`Template error: Unable to get mapping for ${mapName}::${topKey}::${secondKey}`);
    throw new ResolveError(`Template error: Unable to get mapping for ${mapName}::${topKey}::${secondKey}`);
  }
  return value;
}

/** `${Name}`, `${Resource.Attribute}` and `${!Literal}` in a Fn::Sub string. */
export const SUB_VARIABLE = /\$\{([^}]*)\}/g;

function sub(rawArg: unknown, scope: ResolveScope): string {
  let text: string;
  const vars = new Map<string, unknown>();
  if (typeof rawArg === 'string') text = rawArg;
  else if (Array.isArray(rawArg) && typeof rawArg[0] === 'string') {
    text = rawArg[0];
    if (isObject(rawArg[1])) for (const [k, v] of Object.entries(rawArg[1])) vars.set(k, evaluate(v, scope));
  } else throw new ResolveError('Template error: One or more Fn::Sub intrinsic functions don\'t specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string');
  return text.replace(SUB_VARIABLE, (whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (vars.has(name)) return str(vars.get(name), 'Fn::Sub');
    const dot = name.indexOf('.');
    if (dot > 0 && !scope.parameters.has(name) && !name.startsWith('AWS::')) return str(getAtt(name.slice(0, dot), name.slice(dot + 1), scope), 'Fn::Sub');
    const v = ref(name, scope);
    return Array.isArray(v) ? v.join(',') : str(v, 'Fn::Sub');
  });
}

function cidr(block: string, count: number, hostBits: number): string[] {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(block);
  if (!m || !Number.isInteger(count) || count < 1 || count > 256 || !Number.isInteger(hostBits) || hostBits < 1 || hostBits > 32) {
    throw new ResolveError('Template error: Fn::Cidr requires an IPv4 CIDR block, a count between 1 and 256 and cidrBits between 1 and 32');
  }
  const base = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const size = 2 ** hostBits;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = (base + i * size) >>> 0;
    out.push(`${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${32 - hostBits}`);
  }
  return out;
}

/** Whether a template value is a single-key intrinsic function object. */
export function intrinsicName(value: TemplateValue | unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const k = keys[0]!;
  return k === 'Ref' || k === 'Condition' || k.startsWith('Fn::') ? k : undefined;
}
