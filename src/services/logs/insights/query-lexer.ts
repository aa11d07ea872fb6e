import { QueryMalformed } from './query-syntax.js';

export interface Token {
  kind: 'word' | 'field' | 'number' | 'duration' | 'string' | 'regex' | 'op' | 'pipe' | 'eof';
  text: string;
  start: number;
  end: number;
}

const PATTERNS: Array<[Token['kind'], RegExp]> = [
  ['pipe', /\|/y],
  ['string', /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/y],
  ['field', /`[^`]+`/y],
  ['duration', /\d+(?:ms|s|m|h|d|w|mo|q|y)\b/y],
  ['number', /\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y],
  ['field', /@?[A-Za-z_][\w.@$-]*(?:\[\d+\])?(?:\.[\w@$-]+)*/y],
  ['op', /=~|!=|<=|>=|==|[=<>+\-*/%(),\[\]]/y],
];

/** Splits a query into tokens; a `/…/` after an operator or `like` is a regular expression. */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ws = /\s+|#[^\n]*/y;
    ws.lastIndex = i;
    if (ws.exec(query)) {
      i = ws.lastIndex;
      continue;
    }
    const prev = tokens[tokens.length - 1];
    // `parse <field> /re/`: the token two back is `parse`.
    const afterParse = /^parse$/i.test(tokens[tokens.length - 2]?.text ?? '');
    if (query[i] === '/' && (!prev || prev.kind === 'op' || prev.kind === 'pipe' || /^(like|parse)$/i.test(prev.text) || afterParse)) {
      const re = /\/((?:[^/\\\n]|\\.)+)\/([a-z]*)/y;
      re.lastIndex = i;
      const m = re.exec(query);
      if (m) {
        tokens.push({ kind: 'regex', text: m[0], start: i, end: re.lastIndex });
        i = re.lastIndex;
        continue;
      }
    }
    let matched = false;
    for (const [kind, re] of PATTERNS) {
      re.lastIndex = i;
      const m = re.exec(query);
      if (m) {
        tokens.push({ kind, text: m[0], start: i, end: re.lastIndex });
        i = re.lastIndex;
        matched = true;
        break;
      }
    }
    if (!matched) throw new QueryMalformed(`unexpected symbol found ${query[i]} at line 1 and position ${i + 1}`, i, i + 1);
  }
  tokens.push({ kind: 'eof', text: '', start: query.length, end: query.length });
  // Words are fields the parser may read as keywords.
  return tokens.map((t) => (t.kind === 'field' && !t.text.startsWith('`') && !t.text.startsWith('@') && /^[A-Za-z_]\w*$/.test(t.text) ? { ...t, kind: 'word' } : t));
}
