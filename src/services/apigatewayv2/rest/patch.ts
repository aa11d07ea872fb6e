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
