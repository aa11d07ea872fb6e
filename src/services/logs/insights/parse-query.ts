import { tokenize, type Token } from './query-lexer.js';
import { AGGREGATES, QueryMalformed, type Command, type Expr, type Named } from './query-syntax.js';

const DURATION_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, mo: 2_592_000_000, q: 7_776_000_000, y: 31_536_000_000 };
const COMPARISONS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', '=~']);

/** Parses a Logs Insights query: commands separated by `|`. */
export function parseQuery(query: string): Command[] {
  return new QueryParser(query, tokenize(query)).commands();
}

class QueryParser {
  private i = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  commands(): Command[] {
    const out: Command[] = [];
    for (;;) {
      if (this.peek().kind === 'eof') break;
      out.push(this.command());
      const t = this.next();
      if (t.kind === 'eof') break;
      if (t.kind !== 'pipe') this.fail(t);
    }
    if (out.length === 0) throw new QueryMalformed('Query must not be empty', 0, 0);
    return out;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private fail(t: Token): never {
    throw new QueryMalformed(`unexpected symbol found ${t.text || '<EOF>'} at line 1 and position ${t.start + 1}`, t.start, t.end);
  }

  private isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'word' && t.text.toLowerCase() === text;
  }

  private expectOp(text: string): void {
    const t = this.next();
    if (t.text !== text) this.fail(t);
  }

  private command(): Command {
    const t = this.next();
    if (t.kind !== 'word') this.fail(t);
    switch (t.text.toLowerCase()) {
      case 'fields':
        return { kind: 'fields', fields: this.namedList() };
      case 'display':
        return { kind: 'display', fields: this.namedList() };
      case 'filter':
        return { kind: 'filter', expr: this.expr() };
      case 'stats': {
        const aggregates = this.namedList();
        let by: Named[] = [];
        if (this.isWord('by')) {
          this.i++;
          by = this.namedList();
        }
        return { kind: 'stats', aggregates, by };
      }
      case 'sort': {
        const keys: Array<{ expr: Expr; name: string; descending: boolean }> = [];
        do {
          if (keys.length > 0) this.i++;
          const expr = this.expr();
          let descending = false;
          if (this.isWord('desc') || this.isWord('asc')) descending = this.next().text.toLowerCase() === 'desc';
          keys.push({ expr, name: expr.text, descending });
        } while (this.peek().text === ',');
        return { kind: 'sort', keys };
      }
      case 'limit': {
        const n = this.next();
        if (n.kind !== 'number' || !Number.isInteger(Number(n.text)) || Number(n.text) < 1) this.fail(n);
        return { kind: 'limit', count: Number(n.text) };
      }
      case 'parse':
        return this.parseCommand();
      default:
        this.fail(t);
    }
  }

  private parseCommand(): Command {
    const source = this.expr();
    const pattern = this.next();
    if (pattern.kind === 'regex') {
      const regex = toRegex(pattern);
      const names = [...regex.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!);
      if (names.length === 0) this.fail(pattern);
      return { kind: 'parse', source, regex, names };
    }
    if (pattern.kind !== 'string') this.fail(pattern);
    const glob = unquote(pattern.text);
    if (!this.isWord('as')) this.fail(this.peek());
    this.i++;
    const names: string[] = [];
    do {
      if (names.length > 0) this.i++;
      const n = this.next();
      if (n.kind !== 'word' && n.kind !== 'field') this.fail(n);
      names.push(n.text.replace(/^`|`$/g, ''));
    } while (this.peek().text === ',');
    const parts = glob.split('*');
    if (parts.length - 1 !== names.length) throw new QueryMalformed(`Expression has ${parts.length - 1} wildcards but ${names.length} fields`, pattern.start, pattern.end);
    const body = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*?)');
    return { kind: 'parse', source, regex: new RegExp(glob.endsWith('*') ? `${body.slice(0, -5)}(.*)` : body, 's'), names };
  }

  private namedList(): Named[] {
    const out: Named[] = [];
    do {
      if (out.length > 0) this.i++;
      const expr = this.expr();
      let name = expr.text;
      if (this.isWord('as')) {
        this.i++;
        const alias = this.next();
        if (alias.kind !== 'word' && alias.kind !== 'field') this.fail(alias);
        name = alias.text.replace(/^`|`$/g, '');
      }
      out.push({ expr, name });
    } while (this.peek().text === ',');
    return out;
  }

  private text(from: number): string {
    return this.source.slice(this.tokens[from]!.start, this.tokens[this.i - 1]!.end);
  }

  private expr(): Expr {
    return this.or();
  }

  private or(): Expr {
    const from = this.i;
    let left = this.and();
    while (this.isWord('or')) {
      this.i++;
      left = { kind: 'binary', op: 'or', left, right: this.and(), text: '' };
      left.text = this.text(from);
    }
    return left;
  }

  private and(): Expr {
    const from = this.i;
    let left = this.not();
    while (this.isWord('and')) {
      this.i++;
      left = { kind: 'binary', op: 'and', left, right: this.not(), text: '' };
      left.text = this.text(from);
    }
    return left;
  }

  private not(): Expr {
    const from = this.i;
    if (this.isWord('not') && !(this.isWord('like', 1) || this.isWord('in', 1))) {
      this.i++;
      const arg = this.not();
      return { kind: 'unary', op: 'not', arg, text: this.text(from) };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const from = this.i;
    const left = this.additive();
    const t = this.peek();
    let negated = false;
    if (this.isWord('not') && (this.isWord('like', 1) || this.isWord('in', 1))) {
      negated = true;
      this.i++;
    }
    if (this.isWord('like')) {
      this.i++;
      const right = this.primary();
      const like: Expr = { kind: 'binary', op: 'like', left, right, text: this.text(from) };
      return negated ? { kind: 'unary', op: 'not', arg: like, text: like.text } : like;
    }
    if (this.isWord('in')) {
      this.i++;
      this.expectOp('[');
      const list: Expr[] = [];
      while (this.peek().text !== ']') {
        if (list.length > 0) this.expectOp(',');
        list.push(this.additive());
      }
      this.expectOp(']');
      return { kind: 'in', negated, arg: left, list, text: this.text(from) };
    }
    if (t.kind === 'op' && COMPARISONS.has(t.text)) {
      this.i++;
      const right = this.additive();
      return { kind: 'binary', op: t.text === '==' ? '=' : t.text, left, right, text: this.text(from) };
    }
    return left;
  }

  private additive(): Expr {
    const from = this.i;
    let left = this.multiplicative();
    while (this.peek().kind === 'op' && (this.peek().text === '+' || this.peek().text === '-')) {
      const op = this.next().text;
      left = { kind: 'binary', op, left, right: this.multiplicative(), text: '' };
      left.text = this.text(from);
    }
    return left;
  }

  private multiplicative(): Expr {
    const from = this.i;
    let left = this.unary();
    while (this.peek().kind === 'op' && ['*', '/', '%'].includes(this.peek().text)) {
      const op = this.next().text;
      left = { kind: 'binary', op, left, right: this.unary(), text: '' };
      left.text = this.text(from);
    }
    return left;
  }

  private unary(): Expr {
    const from = this.i;
    if (this.peek().text === '-' && this.peek().kind === 'op') {
      this.i++;
      const arg = this.unary();
      return { kind: 'unary', op: '-', arg, text: this.text(from) };
    }
    return this.primary();
  }

  private primary(): Expr {
    const from = this.i;
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'literal', value: Number(t.text), text: t.text };
      case 'string':
        return { kind: 'literal', value: unquote(t.text), text: t.text };
      case 'regex':
        return { kind: 'regex', regex: toRegex(t), text: t.text };
      case 'duration': {
        const m = /^(\d+)(\w+)$/.exec(t.text)!;
        return { kind: 'duration', ms: Number(m[1]) * DURATION_MS[m[2]!]!, text: t.text };
      }
      case 'op':
        if (t.text === '(') {
          const inner = this.expr();
          this.expectOp(')');
          return { ...inner, text: this.text(from) };
        }
        return this.fail(t);
      case 'word':
      case 'field': {
        if (this.peek().text === '(' && t.kind === 'word') return this.call(t, from);
        const lower = t.text.toLowerCase();
        if (t.kind === 'word' && (lower === 'true' || lower === 'false')) return { kind: 'literal', value: lower === 'true', text: t.text };
        if (t.kind === 'word' && lower === 'null') return { kind: 'literal', value: null, text: t.text };
        return { kind: 'field', name: t.text.replace(/^`|`$/g, ''), text: t.text };
      }
      default:
        return this.fail(t);
    }
  }

  private call(name: Token, from: number): Expr {
    this.expectOp('(');
    const args: Expr[] = [];
    let star = false;
    if (this.peek().text === '*' && this.peek(1).text === ')') {
      this.i++;
      star = true;
    }
    while (this.peek().text !== ')') {
      if (args.length > 0) this.expectOp(',');
      args.push(this.expr());
    }
    this.expectOp(')');
    const fn = name.text.toLowerCase();
    if (star && fn !== 'count') this.fail(name);
    return { kind: 'call', name: fn, args, star, text: this.text(from) };
  }
}

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}

function toRegex(t: Token): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(t.text)!;
  try {
    // Insights' (?i) prefix asks for a case-insensitive match.
    const caseless = m[1]!.startsWith('(?i)');
    return new RegExp(caseless ? m[1]!.slice(4) : m[1]!, caseless ? 'i' : m[2]!.replace(/[^imsu]/g, ''));
  } catch {
    throw new QueryMalformed(`Invalid regular expression ${t.text}`, t.start, t.end);
  }
}

export function isAggregate(expr: Expr): boolean {
  return expr.kind === 'call' && AGGREGATES.has(expr.name);
}
