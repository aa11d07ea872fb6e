import type { RestJsonRequest } from '../../protocols/rest-json.js';
import { errors } from './errors.js';
import type { ApigwScope } from './store.js';

export function scopeOf(req: RestJsonRequest): ApigwScope {
  return { accountId: req.accountId, region: req.region };
}

export function body(req: RestJsonRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const value = JSON.parse(req.body.toString('utf8')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw errors.invalidJson();
    return value as Record<string, unknown>;
  } catch {
    throw errors.invalidJson();
  }
}

export function optionalString(doc: Record<string, unknown>, key: string): string | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw errors.badRequest(`Invalid input: ${key} must be a string`);
  return v;
}

export function requiredString(doc: Record<string, unknown>, key: string): string {
  const v = optionalString(doc, key);
  if (v === undefined || v === '') throw errors.badRequest(`Invalid input: ${key} is required`);
  return v;
}

export function stringMap(doc: Record<string, unknown>, key: string): Record<string, string> | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) throw errors.badRequest(`Invalid input: ${key} must be a map of strings`);
  return v as Record<string, string>;
}

/** ISO 8601 without fractions, as API Gateway writes dates. */
export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ROUTE_KEY = /^(\$default|(ANY|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) \/[^\s]*)$/;

export function checkRouteKey(routeKey: string): string {
  if (!ROUTE_KEY.test(routeKey)) throw errors.badRequest(`Unable to create route. Route key '${routeKey}' is invalid: it must be '$default' or '<METHOD> /<path>'`);
  return routeKey;
}
