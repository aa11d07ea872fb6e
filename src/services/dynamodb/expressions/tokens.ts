/**
 * The tokens of DynamoDB's expression languages. Whitespace is kept as tokens because AWS's
 * syntax errors quote the text around the bad token, whitespace included.
 */
export type TokenKind = 'space' | 'identifier' | 'name' | 'value' | 'integer' | 'symbol' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  at: number;
}

const SYMBOLS = ['<>', '<=', '>=', '(', ')', '[', ']', ',', '.', '=', '<', '>', '+', '-'];
const PATTERNS: Array<[TokenKind, RegExp]> = [
  ['space', /^\s+/],
  ['identifier', /^[A-Za-z_][A-Za-z0-9_]*/],
  ['name', /^#[A-Za-z0-9_]+/],
  ['value', /^:[A-Za-z0-9_]+/],
  ['integer', /^[0-9]+/],
];

/** Splits `source`; an unknown character becomes a one-character "symbol" the parser then rejects. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const rest = source.slice(at);
    let token: Token | undefined;
    for (const [kind, pattern] of PATTERNS) {
      const text = pattern.exec(rest)?.[0];
      if (text) {
        token = { kind, text, at };
        break;
      }
    }
    token ??= { kind: 'symbol', text: SYMBOLS.find((s) => rest.startsWith(s)) ?? String.fromCodePoint(rest.codePointAt(0)!), at };
    tokens.push(token);
    at += token.text.length;
  }
  tokens.push({ kind: 'eof', text: '', at: source.length });
  return tokens;
}
