import type { AttributeValue, Item } from '../attribute-value.js';
import type { ResolvedPath } from './ast.js';
import { firstPathClash } from './compile-update.js';
import { ExpressionInvalid } from './errors.js';
import type { ExpressionInputsInUse } from './inputs.js';
import { parseProjection, SyntaxFailure, syntaxErrorText } from './parser.js';

/** Parses and checks a ProjectionExpression: syntax, reserved words, undefined names, overlapping paths. */
export function compileProjection(source: string, inputs: ExpressionInputsInUse): ResolvedPath[] {
  const fail = (message: string): never => {
    throw new ExpressionInvalid(`Invalid ProjectionExpression: ${message}`);
  };
  if (source === '') fail('The expression can not be empty;');
  let paths;
  try {
    paths = parseProjection(source);
  } catch (error) {
    if (error instanceof SyntaxFailure) return fail(syntaxErrorText(source, error));
    throw error;
  }
  const reserved = inputs.reservedWordIn(paths);
  if (reserved) fail(reserved);
  const references = paths.flatMap((path) => path.flatMap((e) => (e.kind === 'attribute' && e.written.startsWith('#') ? [{ kind: 'name' as const, text: e.written }] : [])));
  const undefinedName = inputs.undefinedReference(references);
  if (undefinedName) fail(undefinedName);
  const resolved = paths.map((path) => inputs.resolvePath(path));
  const clash = firstPathClash(resolved);
  if (clash) fail(clash);
  return resolved;
}

/** Which parts of a value a projection keeps: all of it, or some map keys / list positions. */
interface Selection {
  whole: boolean;
  keys: Map<string, Selection>;
  positions: Map<number, Selection>;
}

/**
 * The parts of `item` the paths name, nested structure kept: a map keeps only the named keys, a
 * list only the named positions, in index order (so `l[2], l[0]` gives a two-element list).
 */
export function projectItem(item: Item, paths: ResolvedPath[]): Item {
  const root: Selection = { whole: false, keys: new Map(), positions: new Map() };
  for (const path of paths) {
    let node = root;
    for (const element of path) {
      const children: Map<string | number, Selection> = element.kind === 'attribute' ? node.keys : node.positions;
      const key = element.kind === 'attribute' ? element.name : element.index;
      let child = children.get(key);
      if (!child) {
        child = { whole: false, keys: new Map(), positions: new Map() };
        children.set(key, child);
      }
      node = child;
    }
    node.whole = true;
  }
  return (extract({ M: item }, root) as { M: Item } | undefined)?.M ?? {};
}

function extract(value: AttributeValue, selection: Selection): AttributeValue | undefined {
  if (selection.whole) return value;
  if ('M' in value && selection.keys.size > 0) {
    const out: Record<string, AttributeValue> = {};
    for (const [key, child] of selection.keys) {
      const member = value.M[key];
      const kept = member && extract(member, child);
      if (kept) out[key] = kept;
    }
    return Object.keys(out).length > 0 ? { M: out } : undefined;
  }
  if ('L' in value && selection.positions.size > 0) {
    const out: AttributeValue[] = [];
    for (const index of [...selection.positions.keys()].sort((a, b) => a - b)) {
      const member = value.L[index];
      const kept = member && extract(member, selection.positions.get(index)!);
      if (kept) out.push(kept);
    }
    return out.length > 0 ? { L: out } : undefined;
  }
  return undefined;
}
