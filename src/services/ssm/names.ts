import { errors } from './errors.js';
import { MAX_HIERARCHY_LEVELS, MAX_NAME_LENGTH } from './limits.js';

/** The ARN of a parameter: `parameter/a/b` for `/a/b`, `parameter/a` for `a`. */
export function parameterArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

const NAME_CHARACTERS = /^[a-zA-Z0-9_.\-/]+$/;

/** A name as GetParameter and friends accept it: a plain name, a path, or the parameter's ARN. */
export function nameFromIdentifier(identifier: string): string {
  const arn = /^arn:aws[a-z-]*:ssm:[^:]*:\d{12}:parameter(\/.*)$/.exec(identifier);
  if (!arn) return identifier;
  const rest = arn[1]!;
  // `parameter/a` names `a`; `parameter/a/b` names `/a/b`.
  return rest.indexOf('/', 1) === -1 ? rest.slice(1) : rest;
}

/** Checks a name PutParameter may create (AWS's naming rules). */
export function checkNewName(name: string): void {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) throw errors.invalidName();
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (/^(aws|ssm)/i.test(bare)) throw errors.invalidName();
  if (!NAME_CHARACTERS.test(name) || name.endsWith('/') || name.includes('//')) throw errors.invalidName();
  if (name.includes('/') && !name.startsWith('/')) throw errors.invalidName();
  if (name.split('/').filter(Boolean).length > MAX_HIERARCHY_LEVELS) throw errors.hierarchyTooDeep();
}

/** A GetParametersByPath / Path-filter path: starts with `/`, same characters, not aws/ssm. */
export function checkPath(path: string): string {
  if (!path.startsWith('/') || !NAME_CHARACTERS.test(path) || /^\/(aws|ssm)/i.test(path) || path.includes('//')) {
    throw errors.invalidPath();
  }
  if (path.split('/').filter(Boolean).length > MAX_HIERARCHY_LEVELS) throw errors.hierarchyTooDeep();
  return path.endsWith('/') ? path : `${path}/`;
}

/** `name`, `name:3` (a version) or `name:label` → its parts. */
export function parseSelector(identifier: string): { name: string; version?: number; label?: string; selector?: string } {
  const name = nameFromIdentifier(identifier);
  const colon = name.lastIndexOf(':');
  if (colon <= 0 || name.startsWith('arn:')) return { name };
  const selector = name.slice(colon + 1);
  const bare = name.slice(0, colon);
  if (/^\d+$/.test(selector)) return { name: bare, version: Number(selector), selector: `:${selector}` };
  return { name: bare, label: selector, selector: `:${selector}` };
}
