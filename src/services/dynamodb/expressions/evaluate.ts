import type { AttributeValue, Item } from '../attribute-value.js';
import { compareScalars, valuesEqual } from '../value-comparison.js';
import { compareNumbers } from '../numbers.js';
import type { ResolvedCondition, ResolvedOperand } from './ast.js';
import { valueAt } from './document-paths.js';

/**
 * Evaluates a compiled condition against an item (undefined: no item), as DynamoDB does:
 * comparisons of different types, or with a missing attribute, are false (`<>` is then true),
 * numbers compare as decimals, strings and binaries by their bytes.
 */
export function evaluateCondition(node: ResolvedCondition, item: Item | undefined): boolean {
  const document = item ?? {};
  switch (node.kind) {
    case 'always':
      return true;
    case 'and':
      return evaluateCondition(node.left, item) && evaluateCondition(node.right, item);
    case 'or':
      return evaluateCondition(node.left, item) || evaluateCondition(node.right, item);
    case 'not':
      return !evaluateCondition(node.operand, item);
    case 'compare': {
      const left = operandValue(node.left, document);
      const right = operandValue(node.right, document);
      if (node.op === '<>') return !(left && right && valuesEqual(left, right));
      if (!left || !right) return false;
      if (node.op === '=') return valuesEqual(left, right);
      const order = compareScalars(left, right);
      if (order === null) return false;
      return node.op === '<' ? order < 0 : node.op === '<=' ? order <= 0 : node.op === '>' ? order > 0 : order >= 0;
    }
    case 'between': {
      const value = operandValue(node.operand, document);
      const low = operandValue(node.low, document);
      const high = operandValue(node.high, document);
      if (!value || !low || !high) return false;
      const aboveLow = compareScalars(value, low);
      const belowHigh = compareScalars(value, high);
      return aboveLow !== null && belowHigh !== null && aboveLow >= 0 && belowHigh <= 0;
    }
    case 'in': {
      const value = operandValue(node.operand, document);
      return !!value && node.list.some((candidate) => {
        const other = operandValue(candidate, document);
        return !!other && valuesEqual(value, other);
      });
    }
    case 'call':
      return evaluateFunction(node.name, node.args, document);
  }
}

function evaluateFunction(name: string, args: ResolvedOperand[], document: Item): boolean {
  const [first, second] = args.map((arg) => operandValue(arg, document));
  switch (name) {
    case 'attribute_exists':
      return first !== undefined;
    case 'attribute_not_exists':
      return first === undefined;
    case 'attribute_type':
      return !!first && !!second && 'S' in second && Object.keys(first)[0] === second.S;
    case 'begins_with':
      if (!first || !second) return false;
      if ('S' in first && 'S' in second) return first.S.startsWith(second.S);
      if ('B' in first && 'B' in second) {
        const bytes = Buffer.from(first.B, 'base64');
        const prefix = Buffer.from(second.B, 'base64');
        return bytes.subarray(0, prefix.length).equals(prefix);
      }
      return false;
    case 'contains':
      return !!first && !!second && contains(first, second);
  }
  return false;
}

function contains(container: AttributeValue, member: AttributeValue): boolean {
  if ('S' in container) return 'S' in member && container.S.includes(member.S);
  if ('B' in container) return 'B' in member && Buffer.from(container.B, 'base64').includes(Buffer.from(member.B, 'base64'));
  if ('SS' in container) return 'S' in member && container.SS.includes(member.S);
  if ('NS' in container) return 'N' in member && container.NS.some((n) => compareNumbers(n, member.N) === 0);
  if ('BS' in container) return 'B' in member && container.BS.some((b) => Buffer.from(b, 'base64').equals(Buffer.from(member.B, 'base64')));
  if ('L' in container) return container.L.some((element) => valuesEqual(element, member));
  return false;
}

/** The value an operand stands for in `document`, undefined when it has none. */
export function operandValue(operand: ResolvedOperand, document: Item): AttributeValue | undefined {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path':
      return valueAt(document, operand.path);
    case 'call': {
      if (operand.name !== 'size') return undefined;
      const value = operandValue(operand.args[0]!, document);
      const size = value && sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
    case 'arithmetic':
      return undefined;
  }
}

/**
 * `size()`: a string's length in UTF-8 bytes, a binary's in bytes, the element count of a set,
 * list or map; numbers, booleans and nulls have none (the comparison is then false).
 */
function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}
