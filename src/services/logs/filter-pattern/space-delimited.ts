import { compare, operand, type Operator } from './comparison.js';
import { invalidPattern } from './pattern-invalid.js';

/** One position of a `[…]` pattern: a named field with optional conditions, or `...` (any fields). */
type Position = { ellipsis: true } | { ellipsis: false; name: string; conditions: Condition | null };

type Condition = { kind: 'and' | 'or'; left: Condition; right: Condition } | { kind: 'compare'; field: string; op: Operator; value: ReturnType<typeof operand> };

/** Splits on top-level commas (not inside quotes). */
function splitPositions(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of body) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (quoted) throw invalidPattern();
  parts.push(current.trim());
  return parts;
}

const CONDITION_TOKEN = /\s*(\|\||&&|!=|<=|>=|=|<|>|"(?:[^"\\]|\\.)*"|[^\s=!<>&|"]+)/y;

function parseConditions(text: string, field: string): Condition {
  const tokens: string[] = [];
  CONDITION_TOKEN.lastIndex = 0;
  while (CONDITION_TOKEN.lastIndex < text.length && !/^\s*$/.test(text.slice(CONDITION_TOKEN.lastIndex))) {
    const m = CONDITION_TOKEN.exec(text);
    if (!m) throw invalidPattern();
    tokens.push(m[1]!);
  }
  let i = 0;
  const comparison = (): Condition => {
    // `status = 5*`, or after && / || optionally the field again: `status >= 400 && status < 500`.
    let name = field;
    if (tokens[i] !== undefined && !['=', '!=', '<', '>', '<=', '>='].includes(tokens[i]!)) name = tokens[i++]!;
    const op = tokens[i++];
    const raw = tokens[i++];
    if (!op || !['=', '!=', '<', '>', '<=', '>='].includes(op) || raw === undefined || raw === '&&' || raw === '||') throw invalidPattern();
    const quoted = raw.startsWith('"');
    return { kind: 'compare', field: name, op: op as Operator, value: operand(quoted ? (JSON.parse(raw) as string) : raw, quoted) };
  };
  let node = comparison();
  while (i < tokens.length) {
    const joiner = tokens[i++];
    if (joiner !== '&&' && joiner !== '||') throw invalidPattern();
    node = { kind: joiner === '&&' ? 'and' : 'or', left: node, right: comparison() };
  }
  return node;
}

function parsePosition(text: string): Position {
  if (text === '...') return { ellipsis: true };
  const m = /^([A-Za-z_][\w.-]*)\s*(.*)$/s.exec(text);
  if (!m) throw invalidPattern();
  return { ellipsis: false, name: m[1]!, conditions: m[2]!.trim() ? parseConditions(m[2]!, m[1]!) : null };
}

/** A log line's fields: whitespace-separated, with "…" and […] each one field (without the enclosing marks). */
export function splitFields(message: string): string[] {
  const fields: string[] = [];
  const re = /"([^"]*)"|\[([^\]]*)\]|(\S+)/g;
  for (let m = re.exec(message); m; m = re.exec(message)) fields.push(m[1] ?? m[2] ?? m[3]!);
  return fields;
}

function holds(c: Condition, values: Map<string, string>): boolean {
  if (c.kind === 'compare') return compare(values.get(c.field), c.op, c.value);
  return c.kind === 'and' ? holds(c.left, values) && holds(c.right, values) : holds(c.left, values) || holds(c.right, values);
}

/** Assigns fields to positions (`...` takes any number), then checks every condition. */
function bind(positions: Position[], fields: string[], pi: number, fi: number, values: Map<string, string>): boolean {
  if (pi === positions.length) return fi === fields.length;
  const p = positions[pi]!;
  if (p.ellipsis) {
    for (let take = fields.length - fi; take >= 0; take--) if (bind(positions, fields, pi + 1, fi + take, values)) return true;
    return false;
  }
  if (fi >= fields.length) return false;
  values.set(p.name, fields[fi]!);
  return bind(positions, fields, pi + 1, fi + 1, values);
}

/** A compiled `[…]` pattern: the named fields when the line matches, else null. */
export function compileSpaceDelimited(pattern: string): (message: string) => Map<string, string> | null {
  const trimmed = pattern.trim();
  if (!trimmed.endsWith(']')) throw invalidPattern();
  const body = trimmed.slice(1, -1).trim();
  const positions = body === '' ? [] : splitPositions(body).map(parsePosition);
  const conditions = positions.flatMap((p) => (!p.ellipsis && p.conditions ? [p.conditions] : []));
  return (message) => {
    const values = new Map<string, string>();
    if (!bind(positions, splitFields(message.replace(/\n$/, '')), 0, 0, values)) return null;
    return conditions.every((c) => holds(c, values)) ? values : null;
  };
}
