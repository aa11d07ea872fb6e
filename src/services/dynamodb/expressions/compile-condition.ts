import type { AttributeValue } from '../attribute-value.js';
import { compareScalars } from '../value-comparison.js';
import type { ConditionNode, Operand, Path, ResolvedCondition } from './ast.js';
import { ExpressionInvalid, type ExpressionKind } from './errors.js';
import { ExpressionInputsInUse, literalType, pathsOf, referencesOf, samePath } from './inputs.js';
import { parseCondition, SyntaxFailure, syntaxErrorText, type ParseNotes } from './parser.js';

/** Condition functions and their operand counts. */
const FUNCTIONS: Record<string, number> = { attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2, size: 1 };
const TYPE_NAMES = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];

/** Everything in a condition tree, in written order, for the checks that follow. */
interface Inventory {
  conditions: ConditionNode[];
  /** Calls with where they stand: a condition of their own, or an operand. */
  calls: Array<{ name: string; args: Operand[]; asOperand: boolean }>;
  paths: Path[];
  references: Array<{ kind: 'name' | 'value'; text: string }>;
}

/**
 * Parses and checks a ConditionExpression, FilterExpression or KeyConditionExpression, reporting
 * the first problem in AWS's order of checks: syntax, redundant parentheses, unknown functions,
 * misused functions, reserved words, undefined names and values, operand counts, repeated
 * operands, operand types.
 */
export function compileCondition(source: string, kind: ExpressionKind, inputs: ExpressionInputsInUse): { tree: ConditionNode; resolved: ResolvedCondition } {
  const fail = (message: string): never => {
    throw new ExpressionInvalid(`Invalid ${kind}: ${message}`);
  };
  if (source === '') fail('The expression can not be empty;');
  const notes: ParseNotes = { redundantParentheses: false };
  let tree: ConditionNode;
  try {
    tree = parseCondition(source, notes);
  } catch (error) {
    if (error instanceof SyntaxFailure) return fail(syntaxErrorText(source, error));
    throw error;
  }
  if (notes.redundantParentheses) fail('The expression has redundant parentheses;');
  const inventory: Inventory = { conditions: [], calls: [], paths: [], references: [] };
  collect(tree, inventory);

  for (const call of inventory.calls) if (!(call.name in FUNCTIONS)) fail(`Invalid function name; function: ${call.name}`);
  for (const call of inventory.calls) {
    if (call.asOperand !== (call.name === 'size')) fail(`The function is not allowed to be used this way in an expression; function: ${call.name}`);
  }
  const reserved = inputs.reservedWordIn(inventory.paths);
  if (reserved) fail(reserved);
  const undefinedReference = inputs.undefinedReference(inventory.references);
  if (undefinedReference) fail(undefinedReference);
  for (const call of inventory.calls) {
    if (call.args.length !== FUNCTIONS[call.name]) {
      fail(`Incorrect number of operands for operator or function; operator or function: ${call.name}, number of operands: ${call.args.length}`);
    }
  }
  for (const node of inventory.conditions) {
    const pair = node.kind === 'compare' ? { op: node.op, a: node.left, b: node.right } : node.kind === 'call' && node.args.length === 2 ? { op: node.name, a: node.args[0]!, b: node.args[1]! } : undefined;
    const repeated = pair && samePath(pair.a, pair.b, inputs);
    if (repeated) fail(`The first operand must be distinct from the remaining operands for this operator or function; operator: ${pair.op}, first operand: ${repeated}`);
  }
  for (const call of inventory.calls) checkOperandTypes(call.name, call.args, inputs, fail);
  for (const node of inventory.conditions) if (node.kind === 'between') checkBetweenBounds(node.low, node.high, inputs, fail);

  return { tree, resolved: resolve(tree, inputs) };
}

function collect(node: ConditionNode, into: Inventory): void {
  into.conditions.push(node);
  const operands: Operand[] = [];
  switch (node.kind) {
    case 'and':
    case 'or':
      collect(node.left, into);
      collect(node.right, into);
      return;
    case 'not':
      collect(node.operand, into);
      return;
    case 'call':
      into.calls.push({ name: node.name, args: node.args, asOperand: false });
      operands.push(...node.args);
      break;
    case 'compare':
      operands.push(node.left, node.right);
      break;
    case 'between':
      operands.push(node.operand, node.low, node.high);
      break;
    case 'in':
      operands.push(node.operand, ...node.list);
  }
  for (const operand of operands) collectOperand(operand, into);
}

function collectOperand(operand: Operand, into: Inventory): void {
  if (operand.kind === 'call') {
    into.calls.push({ name: operand.name, args: operand.args, asOperand: true });
    for (const arg of operand.args) collectOperand(arg, into);
    return;
  }
  pathsOf(operand, into.paths);
  referencesOf(operand, into.references);
}

function checkOperandTypes(name: string, args: Operand[], inputs: ExpressionInputsInUse, fail: (message: string) => never): void {
  const wrongType = (type: string) => fail(`Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
  switch (name) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      if (args[0]!.kind !== 'path') fail(`Operator or function requires a document path; operator or function: ${name}`);
      return;
    case 'begins_with':
      for (const arg of args) {
        const type = literalType(arg, inputs);
        if (type && type !== 'S' && type !== 'B') wrongType(type);
      }
      return;
    case 'attribute_type': {
      const type = literalType(args[1]!, inputs);
      if (type !== 'S') wrongType(type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
      const typeName = (inputs.values[(args[1] as { name: string }).name] as { S: string }).S;
      if (!TYPE_NAMES.includes(typeName)) fail(`Invalid attribute type name found; type: ${typeName}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
      return;
    }
    case 'size': {
      const type = literalType(args[0]!, inputs);
      if (type === 'N' || type === 'BOOL' || type === 'NULL') wrongType(type);
    }
  }
}

function checkBetweenBounds(low: Operand, high: Operand, inputs: ExpressionInputsInUse, fail: (message: string) => never): void {
  if (low.kind !== 'value' || high.kind !== 'value') return;
  const a = inputs.values[low.name]!;
  const b = inputs.values[high.name]!;
  const bounds = `lower bound operand: AttributeValue: ${valueText(a)}, upper bound operand: AttributeValue: ${valueText(b)}`;
  if (Object.keys(a)[0] !== Object.keys(b)[0]) fail(`The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
  if (compareScalars(a, b) === 1) fail(`The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
}

/** How AWS prints an attribute value in messages: `{N:5}`. */
function valueText(value: AttributeValue): string {
  const [type, inner] = Object.entries(value)[0]!;
  return `{${type}:${Array.isArray(inner) ? `[${inner.join(', ')}]` : typeof inner === 'object' ? JSON.stringify(inner) : String(inner)}}`;
}

function resolve(node: ConditionNode, inputs: ExpressionInputsInUse): ResolvedCondition {
  switch (node.kind) {
    case 'and':
    case 'or':
      return { kind: node.kind, left: resolve(node.left, inputs), right: resolve(node.right, inputs) };
    case 'not':
      return { kind: 'not', operand: resolve(node.operand, inputs) };
    case 'call':
      return { kind: 'call', name: node.name, args: node.args.map((a) => inputs.resolveOperand(a)) };
    case 'compare':
      return { kind: 'compare', op: node.op, left: inputs.resolveOperand(node.left), right: inputs.resolveOperand(node.right) };
    case 'between':
      return { kind: 'between', operand: inputs.resolveOperand(node.operand), low: inputs.resolveOperand(node.low), high: inputs.resolveOperand(node.high) };
    case 'in':
      return { kind: 'in', operand: inputs.resolveOperand(node.operand), list: node.list.map((o) => inputs.resolveOperand(o)) };
  }
}
