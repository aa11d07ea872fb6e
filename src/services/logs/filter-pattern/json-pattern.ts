import { compare, operand, type Operator } from './comparison.js';
import { FilterPatternInvalid, invalidPattern } from './pattern-invalid.js';

/** A parsed `{ … }` pattern: a condition tree over selectors into the event's JSON. */
type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'compare'; path: PathStep[]; op: Operator; value: ReturnType<typeof operand> }
  | { kind: 'is'; path: PathStep[]; what: 'null' | 'true' | 'false' | 'not-exists' };

type PathStep = { key: string } | { index: number };

const TOKEN = /\s*(\|\||&&|!=|<=|>=|=|<|>|\(|\)|"(?:[^"\\]|\\.)*"|\$[^\s=!<>()&|]*|[^\s=!<>()&|"]+)/y;

function tokenize(body: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    if (/^\s*$/.test(body.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(body);
    if (!m) throw invalidPattern();
    tokens.push(m[1]!);
  }
  return tokens;
}

/** `$.a.b[0].c` → steps; `$` alone is the whole event. */
function parsePath(selector: string): PathStep[] {
  if (!selector.startsWith('$')) throw invalidPattern();
  const steps: PathStep[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < selector.length) {
    const m = re.exec(selector);
    if (!m) throw invalidPattern();
    steps.push(m[1] !== undefined ? { key: m[1] } : { index: Number(m[2]) });
  }
  return steps;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}

  parse(): Node {
    const node = this.or();
    if (this.i !== this.tokens.length) throw invalidPattern();
    return node;
  }

  private peek(): string | undefined {
    return this.tokens[this.i];
  }

  private next(): string {
    const t = this.tokens[this.i++];
    if (t === undefined) throw invalidPattern();
    return t;
  }

  private or(): Node {
    let left = this.and();
    while (this.peek() === '||') {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.primary();
    while (this.peek() === '&&') {
      this.i++;
      left = { kind: 'and', left, right: this.primary() };
    }
    return left;
  }

  private primary(): Node {
    if (this.peek() === '(') {
      this.i++;
      const node = this.or();
      if (this.next() !== ')') throw invalidPattern();
      return node;
    }
    const path = parsePath(this.next());
    const op = this.next();
    if (op.toUpperCase() === 'IS') {
      const what = this.next().toUpperCase();
      if (what === 'NULL' || what === 'TRUE' || what === 'FALSE') return { kind: 'is', path, what: what.toLowerCase() as 'null' | 'true' | 'false' };
      throw invalidPattern();
    }
    if (op.toUpperCase() === 'NOT') {
      if (this.next().toUpperCase() !== 'EXISTS') throw invalidPattern();
      return { kind: 'is', path, what: 'not-exists' };
    }
    if (!['=', '!=', '<', '>', '<=', '>='].includes(op)) throw invalidPattern();
    const raw = this.next();
    if (['&&', '||', '(', ')'].includes(raw)) throw invalidPattern();
    const quoted = raw.startsWith('"');
    const text = quoted ? (JSON.parse(raw) as string) : raw;
    return { kind: 'compare', path, op: op as Operator, value: operand(text, quoted) };
  }
}

const MISSING = Symbol('missing');

function select(root: unknown, path: PathStep[]): unknown {
  let value: unknown = root;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return MISSING;
    if ('key' in step) {
      if (Array.isArray(value) || !Object.hasOwn(value, step.key)) return MISSING;
      value = (value as Record<string, unknown>)[step.key];
    } else {
      if (!Array.isArray(value) || step.index >= value.length) return MISSING;
      value = value[step.index];
    }
  }
  return value;
}

function evaluate(node: Node, root: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, root) && evaluate(node.right, root);
    case 'or':
      return evaluate(node.left, root) || evaluate(node.right, root);
    case 'is': {
      const v = select(root, node.path);
      if (node.what === 'not-exists') return v === MISSING;
      if (node.what === 'null') return v === null;
      return v === (node.what === 'true');
    }
    case 'compare': {
      const v = select(root, node.path);
      return v !== MISSING && compare(v, node.op, node.value);
    }
  }
}

/** A compiled JSON pattern: the event's JSON when it matches (metric values select from it), else null. */
export function compileJsonPattern(pattern: string): (message: string) => unknown | null {
  const trimmed = pattern.trim();
  if (!trimmed.endsWith('}')) throw new FilterPatternInvalid("If a filter pattern starts with '{' it must end with '}'");
  const tree = new Parser(tokenize(trimmed.slice(1, -1))).parse();
  return (message) => {
    let root: unknown;
    try {
      root = JSON.parse(message);
    } catch {
      return null;
    }
    if (root === null || typeof root !== 'object') return null;
    return evaluate(tree, root) ? root : null;
  };
}

/** `$.a.b` against a parsed event, for metric values; undefined when absent. */
export function selectJson(root: unknown, selector: string): unknown {
  const v = select(root, parsePath(selector));
  return v === MISSING ? undefined : v;
}
