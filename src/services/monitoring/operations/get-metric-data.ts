import type { MonitoringDeps, MonitoringOperation } from '../deps.js';
import { errors } from '../errors.js';
import { optionalBoolean, optionalInteger, optionalString, requiredDate, requiredString, structures, type Input } from '../input.js';
import { MAX_METRIC_DATA_POINTS, MAX_METRIC_DATA_QUERIES } from '../limits.js';
import { evaluate, type MathValue, type Series } from '../metric-math/evaluate.js';
import { MathSyntaxError, parseExpression, referencedNames, type MathNode } from '../metric-math/parse.js';
import { metricStatPoints, readMetricStat, type MetricStat } from '../metric-stat.js';
import { checkPeriod } from '../period.js';
import { alignedStart } from '../statistics.js';

const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

type Query = { id: string; label?: string; returnData: boolean } & ({ stat: MetricStat } | { expression: string; node: MathNode; periodS?: number });

/** GetMetricData: MetricStat queries and metric math over them, newest first unless ScanBy says otherwise. */
export function getMetricData(deps: MonitoringDeps): MonitoringOperation {
  return async (input, ctx) => {
    const queries = readQueries(input);
    const start = requiredDate(input, 'StartTime').getTime();
    const end = requiredDate(input, 'EndTime').getTime();
    if (start >= end) throw errors.invalidParameter('The parameter StartTime must be less than the parameter EndTime.');
    const scanBy = optionalString(input, 'ScanBy') ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') throw errors.invalidValue(scanBy, 'ScanBy');
    const maxDatapoints = optionalInteger(input, 'MaxDatapoints') ?? MAX_METRIC_DATA_POINTS;
    const now = deps.clock.now();
    const results = await evaluateQueries(deps, { accountId: ctx.accountId, region: ctx.region }, queries, start, end, now);
    let budget = maxDatapoints;
    const out = results.map((r) => {
      let points = [...r.points].sort((a, b) => (scanBy === 'TimestampAscending' ? a[0] - b[0] : b[0] - a[0]));
      const complete = points.length <= budget;
      points = points.slice(0, Math.max(0, budget));
      budget -= points.length;
      return {
        Id: r.id,
        Label: r.label,
        Timestamps: points.map(([t]) => new Date(t)),
        Values: points.map(([, v]) => v),
        StatusCode: complete ? 'Complete' : 'PartialData',
        Messages: [],
      };
    });
    return { MetricDataResults: out, Messages: [] };
  };
}

function readQueries(input: Input): Query[] {
  const list = structures(input, 'MetricDataQueries');
  if (list.length === 0) throw errors.missing('MetricDataQueries');
  if (list.length > MAX_METRIC_DATA_QUERIES) throw errors.invalidParameter(`The collection MetricDataQueries must not have a size greater than ${MAX_METRIC_DATA_QUERIES}.`);
  const ids = new Set<string>();
  return list.map((q, i) => {
    const path = `MetricDataQueries.member.${i + 1}.`;
    const id = requiredString(q, 'Id');
    if (!QUERY_ID.test(id)) throw errors.invalidParameter(`The value ${id} for parameter ${path}Id is invalid. Ids must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(id)) throw errors.invalidParameter(`The values for parameter id in MetricDataQueries must be unique.`);
    ids.add(id);
    const label = optionalString(q, 'Label');
    const returnData = optionalBoolean(q, 'ReturnData') ?? true;
    const expression = optionalString(q, 'Expression');
    const hasStat = q.MetricStat !== undefined && q.MetricStat !== null;
    if (hasStat === (expression !== undefined)) throw errors.combination(`Exactly one of ${path}MetricStat and ${path}Expression must be specified.`);
    if (hasStat) return { id, label, returnData, stat: readMetricStat(q.MetricStat as Input, `${path}MetricStat.`) };
    let node: MathNode;
    try {
      node = parseExpression(expression!);
    } catch (err) {
      if (err instanceof MathSyntaxError) throw errors.invalidParameter(`Error in expression '${id}': ${err.message}`);
      throw err;
    }
    const periodS = optionalInteger(q, 'Period');
    if (periodS !== undefined) checkPeriod(periodS, `${path}Period`);
    return { id, label, returnData, expression: expression!, node, periodS };
  });
}

export interface QueryResult {
  id: string;
  label: string;
  points: Map<number, number>;
}

/**
 * Runs every query — MetricStats read from the store, expressions in dependency order — and
 * returns those with ReturnData; an expression giving several series returns each.
 */
export async function evaluateQueries(
  deps: Pick<MonitoringDeps, 'metrics'>,
  scope: { accountId: string; region: string },
  queries: Query[],
  start: number,
  end: number,
  now: number,
): Promise<QueryResult[]> {
  const statQueries = queries.filter((q): q is Query & { stat: MetricStat } => 'stat' in q);
  const minPeriod = Math.min(...queries.map((q) => ('stat' in q ? q.stat.periodS : (q.periodS ?? Number.POSITIVE_INFINITY))));
  const periodS = Number.isFinite(minPeriod) ? minPeriod : 60;
  const from = alignedStart(start, periodS, now);
  const timestamps: number[] = [];
  for (let t = from; t < end; t += periodS * 1000) timestamps.push(t);
  const values = new Map<string, MathValue>();
  for (const q of statQueries) {
    const points = await metricStatPoints(deps.metrics, scope, q.stat, alignedStart(start, q.stat.periodS, now), end, now);
    values.set(q.id, { id: q.id, label: q.label ?? q.stat.metric.metricName, points });
  }
  const byId = new Map(queries.map((q) => [q.id, q]));
  const evaluating = new Set<string>();
  const valueOf = (id: string): MathValue | undefined => {
    const known = values.get(id);
    if (known !== undefined) return known;
    const q = byId.get(id);
    if (!q || 'stat' in q) return undefined;
    if (evaluating.has(id)) throw errors.invalidParameter(`Error in expression '${id}': Circular dependency`);
    evaluating.add(id);
    let v: MathValue;
    try {
      v = evaluate(q.node, {
        series: valueOf,
        metricStatSeries: () => statQueries.map((s) => values.get(s.id) as Series),
        timestamps,
        periodS,
      });
    } catch (err) {
      if (err instanceof MathSyntaxError) throw errors.invalidParameter(`Error in expression '${id}': ${err.message}`);
      throw err;
    }
    evaluating.delete(id);
    values.set(id, v);
    return v;
  };
  for (const q of queries) if (!('stat' in q)) for (const name of referencedNames(q.node)) if (!byId.has(name) && !/^(REPEAT|LINEAR)$/i.test(name)) {
    throw errors.invalidParameter(`Error in expression '${q.id}': Unrecognized identifier ${name}`);
  }
  const results: QueryResult[] = [];
  for (const q of queries) {
    if (!q.returnData) continue;
    const v = valueOf(q.id);
    const label = q.label ?? ('stat' in q ? q.stat.metric.metricName : q.id);
    if (typeof v === 'number') {
      // A number is drawn as a flat line over the whole range.
      results.push({ id: q.id, label, points: new Map(Number.isFinite(v) ? timestamps.map((t) => [t, v]) : []) });
    } else if (typeof v === 'string' || v === undefined) {
      throw errors.invalidParameter(`Error in expression '${q.id}': the expression does not give a time series`);
    } else if (Array.isArray(v)) {
      for (const s of v) results.push({ id: q.id, label: q.label === undefined ? s.label : `${q.label} ${s.label}`, points: s.points });
    } else {
      results.push({ id: q.id, label, points: v.points });
    }
  }
  return results;
}

export type { Query as MetricDataQuery };
export { readQueries as readMetricDataQueries };
