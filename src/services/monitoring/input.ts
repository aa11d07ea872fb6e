import { errors } from './errors.js';

/**
 * Readers for operation input, whichever protocol brought it: the query protocol sends every
 * scalar as a string and JSON sends timestamps as epoch seconds, CBOR as tagged dates.
 */
export type Input = Record<string, unknown>;

export function optionalString(input: Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw errors.invalidValue(v, name);
  return v;
}

export function requiredString(input: Input, name: string): string {
  const v = optionalString(input, name);
  if (v === undefined || v === '') throw errors.missing(name);
  return v;
}

export function optionalNumber(input: Input, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw errors.invalidValue(v, name);
  return n;
}

export function requiredNumber(input: Input, name: string): number {
  const n = optionalNumber(input, name);
  if (n === undefined) throw errors.missing(name);
  return n;
}

export function optionalInteger(input: Input, name: string): number | undefined {
  const n = optionalNumber(input, name);
  if (n !== undefined && !Number.isInteger(n)) throw errors.invalidValue(n, name);
  return n;
}

export function optionalBoolean(input: Input, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw errors.invalidValue(v, name);
}

/** A timestamp: a Date (CBOR), epoch seconds (JSON) or ISO 8601 / epoch seconds text (query). */
export function optionalDate(input: Input, name: string): Date | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  let ms = Number.NaN;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'number') ms = v * 1000;
  else if (typeof v === 'string') ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  if (!Number.isFinite(ms)) throw errors.invalidValue(v, name);
  return new Date(ms);
}

export function requiredDate(input: Input, name: string): Date {
  const d = optionalDate(input, name);
  if (d === undefined) throw errors.missing(name);
  return d;
}

export function optionalList(input: Input, name: string): unknown[] | undefined {
  const v = input[name];
  if (v === undefined || v === null || v === '') return v === '' ? [] : undefined;
  if (!Array.isArray(v)) throw errors.invalidValue(typeof v === 'object' ? JSON.stringify(v) : v, name);
  return v;
}

export function structures(input: Input, name: string): Input[] {
  return (optionalList(input, name) ?? []).map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw errors.invalidValue(JSON.stringify(item), name);
    return item as Input;
  });
}

export function strings(input: Input, name: string): string[] {
  return (optionalList(input, name) ?? []).map((item) => {
    if (typeof item !== 'string') throw errors.invalidValue(item, name);
    return item;
  });
}

export function optionalStructure(input: Input, name: string): Input | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw errors.invalidValue(JSON.stringify(v), name);
  return v as Input;
}
