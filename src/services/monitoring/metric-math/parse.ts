/**
 * CloudWatch metric math: the syntax of an `Expression` — numbers, query ids, `+ - * / ^`,
 * parentheses, `[a, b]` arrays, function calls, strings and the FILL keywords — parsed into a tree.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
export type MathNode =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'name'; name: string }
  | { kind: 'negate'; operand: MathNode }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '^'; left: MathNode; right: MathNode }
  | { kind: 'array'; items: MathNode[] }
  | { kind: 'call'; name: string; args: MathNode[] };

export class MathSyntaxError extends Error {}

type Token = { type: 'number'; value: number } | { type: 'string'; value: string } | { type: 'name'; value: string } | { type: 'punct'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ type: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new MathSyntaxError(`Unterminated string at position ${i + 1}`);
      tokens.push({ type: 'string', value: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if ('+-*/^()[],'.includes(c)) {
      tokens.push({ type: 'punct', value: c });
      i++;
      continue;
    }
    throw new MathSyntaxError(`Unexpected character ${c} at position ${i + 1}`);
  }
  return tokens;
}

/** Precedence climbing: `^` binds tightest (right-associative), then unary minus, `* /`, `+ -`. */
export function parseExpression(text: string): MathNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isPunct = (value: string) => {
    const t = peek();
    return t?.type === 'punct' && t.value === value;
  };
  const expect = (value: string) => {
    if (!isPunct(value)) throw new MathSyntaxError(`Expected ${value}`);
    pos++;
  };

  const primary = (): MathNode => {
    const t = peek();
    if (!t) throw new MathSyntaxError('Unexpected end of expression');
    pos++;
    if (t.type === 'number') return { kind: 'number', value: t.value };
    if (t.type === 'string') return { kind: 'string', value: t.value };
    if (t.type === 'name') {
      if (!isPunct('(')) return { kind: 'name', name: t.value };
      pos++;
      const args: MathNode[] = [];
      if (!isPunct(')')) {
        args.push(additive());
        while (isPunct(',')) {
          pos++;
          args.push(additive());
        }
      }
      expect(')');
      return { kind: 'call', name: t.value.toUpperCase(), args };
    }
    if (t.value === '(') {
      const inner = additive();
      expect(')');
      return inner;
    }
    if (t.value === '[') {
      const items: MathNode[] = [];
      if (!isPunct(']')) {
        items.push(additive());
        while (isPunct(',')) {
          pos++;
          items.push(additive());
        }
      }
      expect(']');
      return { kind: 'array', items };
    }
    throw new MathSyntaxError(`Unexpected ${t.value}`);
  };
  const power = (): MathNode => {
    const base = primary();
    if (isPunct('^')) {
      pos++;
      return { kind: 'binary', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const unary = (): MathNode => {
    if (isPunct('-')) {
      pos++;
      return { kind: 'negate', operand: unary() };
    }
    if (isPunct('+')) {
      pos++;
      return unary();
    }
    return power();
  };
  const multiplicative = (): MathNode => {
    let left = unary();
    while (isPunct('*') || isPunct('/')) {
      const op = (tokens[pos++] as { value: '*' | '/' }).value;
      left = { kind: 'binary', op, left, right: unary() };
    }
    return left;
  };
  const additive = (): MathNode => {
    let left = multiplicative();
    while (isPunct('+') || isPunct('-')) {
      const op = (tokens[pos++] as { value: '+' | '-' }).value;
      left = { kind: 'binary', op, left, right: multiplicative() };
    }
    return left;
  };

  const node = additive();
  if (pos < tokens.length) throw new MathSyntaxError(`Unexpected ${String((tokens[pos] as Token).value)}`);
  return node;
}

/** The query ids an expression reads (METRICS() reads every MetricStat query). */
export function referencedNames(node: MathNode): string[] {
  switch (node.kind) {
    case 'name':
      return [node.name];
    case 'negate':
      return referencedNames(node.operand);
    case 'binary':
      return [...referencedNames(node.left), ...referencedNames(node.right)];
    case 'array':
      return node.items.flatMap(referencedNames);
    case 'call':
      return node.args.flatMap(referencedNames);
    default:
      return [];
  }
}
