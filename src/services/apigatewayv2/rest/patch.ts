import { restErrors } from './errors.js';

/** One JSON-Patch-like operation of an Update* call (`op`, `path`, `value`). */
export interface PatchOperation {
  op: string;
  path: string;
  value?: string;
}

export function patchOperations(input: Record<string, unknown>): PatchOperation[] {
  const ops = input.patchOperations;
  if (ops === undefined || ops === null) return [];
  if (!Array.isArray(ops)) throw restErrors.badRequest('Invalid patch operations: a list is expected');
  return ops.map((o) => {
    const op = o as Record<string, unknown>;
    if (typeof op.op !== 'string' || typeof op.path !== 'string') throw restErrors.badRequest('Invalid patch operation specified. Must be one of: [add, remove, replace, move, copy, test]');
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op.op)) throw restErrors.badRequest(`Invalid patch operation specified. Must be one of: [add, remove, replace, move, copy, test]`);
    return { op: op.op, path: op.path, value: typeof op.value === 'string' ? op.value : undefined };
  });
}

export function invalidPatchPath(op: PatchOperation, allowed: string[]): Error {
  return restErrors.badRequest(`Invalid patch path '${op.path}' specified for op '${op.op}'. Must be one of: [${allowed.join(', ')}]`);
}

/** `~1` is `/` and `~0` is `~` in a patch path segment (RFC 6901). */
export function unescapePathSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

type PatchValueKind = 'string' | 'boolean' | 'number';

/**
 * What an Update* call may patch on a document: members `replace`d whole (`/name`), maps whose
 * entries are added, replaced or removed one by one (`/requestTemplates/application~1json`), and
 * lists whose values are added or removed (`/authorizationScopes` with the value).
 */
export interface PatchSpec {
  members?: Record<string, PatchValueKind>;
  maps?: Record<string, Exclude<PatchValueKind, 'number'>>;
  lists?: string[];
}

function patchValue(op: PatchOperation, kind: PatchValueKind): unknown {
  const value = op.value ?? '';
  if (kind === 'string') return value;
  if (kind === 'boolean') {
    if (value !== 'true' && value !== 'false') throw restErrors.badRequest(`Invalid boolean value ${value} specified for ${op.path}`);
    return value === 'true';
  }
  const n = patchNumber(op);
  if (Number.isNaN(n)) throw restErrors.badRequest(`Invalid number value ${value} specified for ${op.path}`);
  return n;
}

/** A patch value read as a number (patch values are strings): NaN when absent, blank or not one. */
export function patchNumber(op: PatchOperation): number {
  return op.value === undefined || op.value.trim() === '' ? Number.NaN : Number(op.value);
}

/**
 * Applies `ops` to `target` (a copy of the stored document, in the shape its Put* call takes), so
 * the caller can check the result as Put* checks a new one. A path outside `spec` is refused as AWS
 * refuses it.
 */
export function applyPatch(target: Record<string, unknown>, ops: PatchOperation[], spec: PatchSpec): void {
  const allowed = [
    ...Object.keys(spec.members ?? {}).map((m) => `/${m}`),
    ...Object.keys(spec.maps ?? {}).map((m) => `/${m}/{key}`),
    ...(spec.lists ?? []).map((m) => `/${m}`),
  ];
  for (const op of ops) {
    const [, member = '', ...rest] = op.path.split('/');
    const key = rest.length > 0 ? unescapePathSegment(rest.join('/')) : undefined;
    const memberKind = spec.members?.[member];
    const mapKind = spec.maps?.[member];
    if (memberKind && key === undefined && op.op === 'replace') {
      target[member] = patchValue(op, memberKind);
    } else if (mapKind && key && ['add', 'replace', 'remove'].includes(op.op)) {
      const map = { ...((target[member] as Record<string, unknown> | undefined) ?? {}) };
      if (op.op === 'remove') delete map[key];
      else map[key] = patchValue(op, mapKind);
      target[member] = map;
    } else if (spec.lists?.includes(member) && key === undefined && (op.op === 'add' || op.op === 'remove')) {
      const list = ((target[member] as string[] | undefined) ?? []).filter((v) => v !== op.value);
      target[member] = op.op === 'add' && op.value ? [...list, op.value] : list;
    } else {
      throw invalidPatchPath(op, allowed);
    }
  }
}
