import type { RestJsonRequest } from '../../protocols/rest-json.js';
import type { Scope } from './model.js';
import { errors } from './errors.js';
import { ConstraintCheck } from './validation.js';

export function scopeOf(req: RestJsonRequest): Scope {
  return { accountId: req.accountId, region: req.region };
}

/** The JSON body as an object; empty bodies are `{}`; garbage is AWS's InvalidRequestContentException. */
export function jsonBody(req: RestJsonRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(req.body));
  } catch (err) {
    throw errors.invalidJson(err instanceof Error ? err.message : String(err));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw errors.invalidJson('expected a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Reads `Marker`/`MaxItems` and slices a list the way the Lambda list operations page. */
export function paginate<T>(
  req: RestJsonRequest,
  items: T[],
  keyOf: (item: T) => string,
  options: { maxItemsLimit?: number; pageCap?: number } = {},
): { page: T[]; nextMarker?: string } {
  const maxItemsRaw = req.query.get('MaxItems');
  const check = new ConstraintCheck();
  let maxItems = options.pageCap ?? 50;
  if (maxItemsRaw !== null) {
    const n = Number(maxItemsRaw);
    check.range(n, 'maxItems', 1, options.maxItemsLimit ?? 10_000);
    check.throwIfFailed();
    maxItems = Math.min(n, options.pageCap ?? n);
  }
  const marker = req.query.get('Marker');
  let start = 0;
  if (marker) {
    const index = items.findIndex((item) => keyOf(item) === marker);
    start = index >= 0 ? index : items.length;
  }
  const page = items.slice(start, start + maxItems);
  const next = items[start + maxItems];
  return next === undefined ? { page } : { page, nextMarker: keyOf(next) };
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw errors.invalidJson(`member ${key} must be a string`);
  return v;
}

export function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw errors.invalidJson(`member ${key} must be a number`);
  return v;
}

export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw errors.invalidJson(`member ${key} must be a boolean`);
  return v;
}
