import type { AttributeValue } from '../attribute-value.js';
import type { Operand, Path, ResolvedOperand, ResolvedPath } from './ast.js';
import { pathText } from './ast.js';
import { isReservedWord } from './reserved-words.js';

/**
 * ExpressionAttributeNames and ExpressionAttributeValues of one request, recording which ones the
 * expressions used (AWS refuses unused ones once every expression of the request is compiled).
 * Each method returns AWS's message (without the "Invalid …Expression: " head) or a result.
 */
export class ExpressionInputsInUse {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  constructor(
    readonly names: Record<string, string>,
    readonly values: Record<string, AttributeValue>,
  ) {}

  /** The first reserved word written as a bare path element. */
  reservedWordIn(paths: Path[]): string | undefined {
    for (const path of paths) {
      for (const element of path) {
        if (element.kind === 'attribute' && !element.written.startsWith('#') && isReservedWord(element.written)) {
          return `Attribute name is a reserved keyword; reserved keyword: ${element.written}`;
        }
      }
    }
    return undefined;
  }

  /** The first undefined `#name` or `:value`, in the order given. */
  undefinedReference(references: Array<{ kind: 'name' | 'value'; text: string }>): string | undefined {
    for (const reference of references) {
      if (reference.kind === 'name' && !(reference.text in this.names)) {
        return `An expression attribute name used in the document path is not defined; attribute name: ${reference.text}`;
      }
      if (reference.kind === 'value' && !(reference.text in this.values)) {
        return `An expression attribute value used in expression is not defined; attribute value: ${reference.text}`;
      }
    }
    return undefined;
  }

  resolvePath(path: Path): ResolvedPath {
    return path.map((element) => {
      if (element.kind === 'index') return element;
      if (!element.written.startsWith('#')) return { kind: 'attribute', name: element.written };
      this.usedNames.add(element.written);
      return { kind: 'attribute', name: this.names[element.written]! };
    });
  }

  value(name: string): AttributeValue {
    this.usedValues.add(name);
    return this.values[name]!;
  }

  resolveOperand(operand: Operand): ResolvedOperand {
    switch (operand.kind) {
      case 'path':
        return { kind: 'path', path: this.resolvePath(operand.path) };
      case 'value':
        return { kind: 'value', value: this.value(operand.name) };
      case 'call':
        return { kind: 'call', name: operand.name, args: operand.args.map((a) => this.resolveOperand(a)) };
      case 'arithmetic':
        return { kind: 'arithmetic', op: operand.op, left: this.resolveOperand(operand.left), right: this.resolveOperand(operand.right) };
    }
  }
}

/** Every `#name` and `:value` an operand mentions, in written order. */
export function referencesOf(operand: Operand, into: Array<{ kind: 'name' | 'value'; text: string }>): void {
  switch (operand.kind) {
    case 'path':
      for (const e of operand.path) if (e.kind === 'attribute' && e.written.startsWith('#')) into.push({ kind: 'name', text: e.written });
      return;
    case 'value':
      into.push({ kind: 'value', text: operand.name });
      return;
    case 'call':
      for (const a of operand.args) referencesOf(a, into);
      return;
    case 'arithmetic':
      referencesOf(operand.left, into);
      referencesOf(operand.right, into);
  }
}

export function pathsOf(operand: Operand, into: Path[]): void {
  if (operand.kind === 'path') into.push(operand.path);
  else if (operand.kind === 'call') for (const a of operand.args) pathsOf(a, into);
  else if (operand.kind === 'arithmetic') {
    pathsOf(operand.left, into);
    pathsOf(operand.right, into);
  }
}

/** The type descriptor of an operand known before evaluation (a `:value`), if any. */
export function literalType(operand: Operand, inputs: ExpressionInputsInUse): string | undefined {
  if (operand.kind !== 'value') return undefined;
  const value = inputs.values[operand.name];
  return value ? Object.keys(value)[0] : undefined;
}

/** Whether two operands are the same document path, as written after name resolution. */
export function samePath(a: Operand, b: Operand, inputs: ExpressionInputsInUse): string | undefined {
  if (a.kind !== 'path' || b.kind !== 'path' || a.path.length !== b.path.length) return undefined;
  const resolve = (e: Path[number]) => (e.kind === 'index' ? `[${e.index}]` : e.written.startsWith('#') ? inputs.names[e.written] : e.written);
  for (let i = 0; i < a.path.length; i++) if (resolve(a.path[i]!) !== resolve(b.path[i]!)) return undefined;
  return pathText(a.path.map((e) => (e.kind === 'index' ? e : { kind: 'attribute' as const, name: resolve(e)! })));
}
