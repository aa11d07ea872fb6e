import { evaluate, toNumber } from './evaluate.js';
import type { Expr } from './query-syntax.js';
import { QueryMalformed } from './query-syntax.js';
import { plainRow, type FieldValue, type Row } from './record-fields.js';

/** One `stats` aggregate over a group's rows. */
export function aggregate(expr: Expr, rows: Row[]): FieldValue | undefined {
  if (expr.kind !== 'call') throw new QueryMalformed(`${expr.text} is not an aggregate function`, 0, 0);
  if (expr.name === 'count' && (expr.star || expr.args.length === 0)) return rows.length;
  const arg = expr.args[0];
  if (!arg) throw new QueryMalformed(`${expr.name} needs an argument`, 0, 0);
  const present = rows.map((r) => ({ row: r, value: evaluate(arg, r) })).filter((v) => v.value !== undefined && v.value !== null);
  const numbers = () => present.map((v) => toNumber(v.value)).filter((n) => !Number.isNaN(n));
  switch (expr.name) {
    case 'count':
      return present.length;
    case 'count_distinct':
      return new Set(present.map((v) => String(v.value))).size;
    case 'sum':
      return numbers().reduce((a, b) => a + b, 0);
    case 'avg': {
      const n = numbers();
      return n.length === 0 ? undefined : n.reduce((a, b) => a + b, 0) / n.length;
    }
    case 'min': {
      const n = numbers();
      return n.length === 0 ? undefined : Math.min(...n);
    }
    case 'max': {
      const n = numbers();
      return n.length === 0 ? undefined : Math.max(...n);
    }
    case 'stddev': {
      const n = numbers();
      if (n.length === 0) return undefined;
      const mean = n.reduce((a, b) => a + b, 0) / n.length;
      return Math.sqrt(n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length);
    }
    case 'pct': {
      const n = numbers().sort((a, b) => a - b);
      const p = expr.args[1] ? toNumber(evaluate(expr.args[1], plainRow())) : NaN;
      if (n.length === 0 || Number.isNaN(p)) return undefined;
      // Nearest rank.
      return n[Math.min(n.length - 1, Math.max(0, Math.ceil((p / 100) * n.length) - 1))];
    }
    case 'earliest':
    case 'latest': {
      if (present.length === 0) return undefined;
      const byTime = [...present].sort((a, b) => toNumber(a.row.get('@timestamp')) - toNumber(b.row.get('@timestamp')));
      return (expr.name === 'earliest' ? byTime[0] : byTime[byTime.length - 1])!.value;
    }
    default:
      throw new QueryMalformed(`${expr.name} is not an aggregate function`, 0, 0);
  }
}
