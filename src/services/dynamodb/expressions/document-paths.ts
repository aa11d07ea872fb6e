import type { AttributeValue, Item } from '../attribute-value.js';
import type { ResolvedPath } from './ast.js';
import { ExpressionInvalid } from './errors.js';

export const INVALID_UPDATE_PATH = 'The document path provided in the update expression is invalid for update';

/** The value at `path`, or undefined when any step is missing or of the wrong kind. */
export function valueAt(item: Item, path: ResolvedPath): AttributeValue | undefined {
  let current: AttributeValue | undefined = { M: item };
  for (const element of path) {
    if (!current) return undefined;
    if (element.kind === 'attribute') current = 'M' in current ? current.M[element.name] : undefined;
    else current = 'L' in current ? current.L[element.index] : undefined;
  }
  return current;
}

/**
 * Writes `value` at `path` in place. The parent must exist and be a map (or list); a list index
 * past the end appends, as DynamoDB does.
 */
export function writeAt(item: Item, path: ResolvedPath, value: AttributeValue): void {
  const parent = path.length === 1 ? { M: item } : valueAt(item, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (last.kind === 'attribute') {
    if (!parent || !('M' in parent)) throw new ExpressionInvalid(INVALID_UPDATE_PATH);
    parent.M[last.name] = value;
    return;
  }
  if (!parent || !('L' in parent)) throw new ExpressionInvalid(INVALID_UPDATE_PATH);
  if (last.index >= parent.L.length) parent.L.push(value);
  else parent.L[last.index] = value;
}

/** Removes the value at `path` in place; a missing path is left alone, a list closes the gap. */
export function removeAt(item: Item, path: ResolvedPath): void {
  const parent = path.length === 1 ? { M: item } : valueAt(item, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (!parent) return;
  if (last.kind === 'attribute') {
    if ('M' in parent) delete parent.M[last.name];
  } else if ('L' in parent && last.index < parent.L.length) {
    parent.L.splice(last.index, 1);
  }
}
