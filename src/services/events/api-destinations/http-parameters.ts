import { parseJsonPath, valueAt } from '../json-path.js';
import type { EventEnvelope, Target } from '../model.js';

/** A rule target's HttpParameters, as PutTargets stores them. */
export interface TargetHttpParameters {
  PathParameterValues?: string[];
  HeaderParameters?: Record<string, string>;
  QueryStringParameters?: Record<string, string>;
}

/** The HttpParameters of one delivery, JSON paths already replaced by the event's values. */
export interface ResolvedHttpParameters {
  path: string[];
  headers: Record<string, string>;
  query: Record<string, string>;
}

/** A value starting with `$.` is a JSON path into the event (dynamic parameters); anything else is sent as written. */
function resolve(value: string, event: EventEnvelope): string {
  if (!value.startsWith('$.')) return value;
  const segments = parseJsonPath(value);
  const found = segments ? valueAt(event, segments) : undefined;
  if (found === undefined || found === null) return '';
  return typeof found === 'string' ? found : JSON.stringify(found);
}

/**
 * Resolved when the event is matched (the event itself is not kept with the delivery), so the
 * stored delivery carries exactly what the request will be built from.
 */
export function resolveHttpParameters(target: Target, event: EventEnvelope): ResolvedHttpParameters | undefined {
  const params = target.HttpParameters as TargetHttpParameters | undefined;
  if (!params) return undefined;
  const map = (record: Record<string, string> | undefined) => Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k, resolve(String(v), event)]));
  return {
    path: (params.PathParameterValues ?? []).map((v) => resolve(String(v), event)),
    headers: map(params.HeaderParameters),
    query: map(params.QueryStringParameters),
  };
}
