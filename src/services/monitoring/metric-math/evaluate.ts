import { MathSyntaxError, type MathNode } from './parse.js';

/** A time series: timestamps (ascending, epoch ms) and their values. */
export interface Series {
  id: string;
  label: string;
  points: Map<number, number>;
}

export type MathValue = number | string | Series | Series[];

export interface MathContext {
  /** A query's result by id (MetricStat or an expression already evaluated). */
  series(id: string): MathValue | undefined;
  /** Every MetricStat query's series, in request order (METRICS()). */
  metricStatSeries(): Series[];
  /** Every period start in the requested range, for FILL and scalar results. */
  timestamps: number[];
  periodS: number;
}

const KEYWORDS = new Set(['REPEAT', 'LINEAR']);

/** Evaluates a parsed expression; errors are `MathSyntaxError`s with CloudWatch-like wording. */
export function evaluate(node: MathNode, ctx: MathContext): MathValue {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'string':
      return node.value;
    case 'name': {
      if (KEYWORDS.has(node.name.toUpperCase())) return node.name.toUpperCase();
      const value = ctx.series(node.name);
      if (value === undefined) throw new MathSyntaxError(`Unrecognized identifier ${node.name}`);
      return value;
    }
    case 'negate':
      return arithmetic('*', -1, evaluate(node.operand, ctx));
    case 'binary':
      return arithmetic(node.op, evaluate(node.left, ctx), evaluate(node.right, ctx));
    case 'array':
      return node.items.flatMap((item) => {
        const v = evaluate(item, ctx);
        if (typeof v === 'number' || typeof v === 'string') throw new MathSyntaxError('An array may hold only time series');
        return Array.isArray(v) ? v : [v];
      });
    case 'call':
      return call(node.name, node.args.map((a) => evaluate(a, ctx)), ctx);
  }
}

function apply(op: string, a: number, b: number): number | undefined {
  let r: number;
  switch (op) {
    case '+': r = a + b; break;
    case '-': r = a - b; break;
    case '*': r = a * b; break;
    case '/': r = a / b; break;
    default: r = a ** b;
  }
  // Division by zero and the like leave no point, as CloudWatch drops non-finite results.
  return Number.isFinite(r) ? r : undefined;
}

function arithmetic(op: string, left: MathValue, right: MathValue): MathValue {
  if (typeof left === 'string' || typeof right === 'string') throw new MathSyntaxError('Strings cannot take part in arithmetic');
  if (Array.isArray(left)) return left.map((s) => arithmetic(op, s, right) as Series);
  if (Array.isArray(right)) return right.map((s) => arithmetic(op, left, s) as Series);
  if (typeof left === 'number' && typeof right === 'number') return apply(op, left, right) ?? Number.NaN;
  const base = typeof left === 'number' ? (right as Series) : left;
  const out = new Map<number, number>();
  for (const [t, v] of base.points) {
    let other: number | undefined;
    if (typeof left === 'number') other = apply(op, left, v);
    else if (typeof right === 'number') other = apply(op, v, right);
    else {
      // Two series combine where both have a point.
      const w = right.points.get(t);
      other = w === undefined ? undefined : apply(op, v, w);
    }
    if (other !== undefined) out.set(t, other);
  }
  return { id: base.id, label: base.label, points: out };
}

function seriesArg(value: MathValue | undefined, fn: string): Series | Series[] {
  if (value === undefined || typeof value === 'number' || typeof value === 'string') throw new MathSyntaxError(`${fn} takes a time series or an array of time series`);
  return value;
}

function reduce(values: number[], fn: string): number | undefined {
  if (values.length === 0) return undefined;
  switch (fn) {
    case 'SUM': return values.reduce((a, b) => a + b, 0);
    case 'AVG': return values.reduce((a, b) => a + b, 0) / values.length;
    case 'MIN': return Math.min(...values);
    default: return Math.max(...values);
  }
}

function mapSeries(arg: Series | Series[], f: (s: Series) => Series): Series | Series[] {
  return Array.isArray(arg) ? arg.map(f) : f(arg);
}

function call(name: string, args: MathValue[], ctx: MathContext): MathValue {
  switch (name) {
    case 'SUM':
    case 'AVG':
    case 'MIN':
    case 'MAX': {
      const arg = seriesArg(args[0], name);
      // One series reduces to a number; an array, point by point, to one series.
      if (!Array.isArray(arg)) return reduce([...arg.points.values()], name) ?? Number.NaN;
      const times = new Set(arg.flatMap((s) => [...s.points.keys()]));
      const points = new Map<number, number>();
      for (const t of [...times].sort((a, b) => a - b)) {
        const v = reduce(arg.map((s) => s.points.get(t)).filter((x): x is number => x !== undefined), name);
        if (v !== undefined) points.set(t, v);
      }
      return { id: name, label: name, points };
    }
    case 'METRICS': {
      const filter = args[0];
      const all = ctx.metricStatSeries();
      return typeof filter === 'string' ? all.filter((s) => s.id.includes(filter)) : all;
    }
    case 'FILL': {
      const arg = seriesArg(args[0], name);
      const how = args[1];
      if (how === undefined || (typeof how !== 'number' && how !== 'REPEAT' && how !== 'LINEAR')) throw new MathSyntaxError('FILL takes a number, REPEAT or LINEAR as its second argument');
      return mapSeries(arg, (s) => fill(s, how, ctx.timestamps));
    }
    case 'RATE':
    case 'DIFF':
      return mapSeries(seriesArg(args[0], name), (s) => change(s, name === 'RATE'));
    case 'ABS':
      return mapSeries(seriesArg(args[0], name), (s) => ({ ...s, points: new Map([...s.points].map(([t, v]) => [t, Math.abs(v)])) }));
    default:
      throw new MathSyntaxError(`Unknown function ${name}`);
  }
}

function fill(s: Series, how: number | string, timestamps: number[]): Series {
  const known = [...s.points].sort((a, b) => a[0] - b[0]);
  const points = new Map<number, number>();
  for (const t of timestamps) {
    const v = s.points.get(t);
    if (v !== undefined) {
      points.set(t, v);
      continue;
    }
    if (typeof how === 'number') points.set(t, how);
    else {
      const before = known.filter(([k]) => k < t).pop();
      const after = known.find(([k]) => k > t);
      if (how === 'REPEAT' && before) points.set(t, before[1]);
      else if (how === 'LINEAR' && before && after) points.set(t, before[1] + ((after[1] - before[1]) * (t - before[0])) / (after[0] - before[0]));
    }
  }
  return { ...s, points };
}

/** DIFF: each value minus the one before; RATE: that change per second. The first point has none. */
function change(s: Series, perSecond: boolean): Series {
  const sorted = [...s.points].sort((a, b) => a[0] - b[0]);
  const points = new Map<number, number>();
  for (let i = 1; i < sorted.length; i++) {
    const [t0, v0] = sorted[i - 1]!;
    const [t1, v1] = sorted[i]!;
    points.set(t1, perSecond ? (v1 - v0) / ((t1 - t0) / 1000) : v1 - v0);
  }
  return { ...s, points };
}
