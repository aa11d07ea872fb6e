/**
 * Template values as API members: CloudFormation accepts "128" for a number and "true" for a
 * boolean, and lists of `{Key, Value}` tags where APIs take maps.
 */
export function num(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : (v as number);
}

export function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  return String(v).toLowerCase() === 'true';
}

export function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function strList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

/** A JSON document property: templates give an object, APIs take its text. */
export function jsonText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export type Tag = { Key: string; Value: string };

export function tagList(v: unknown, stackTags: Tag[] = []): Tag[] {
  const own = Array.isArray(v) ? (v as Record<string, unknown>[]).map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? '') })) : [];
  const keys = new Set(own.map((t) => t.Key));
  return [...stackTags.filter((t) => !keys.has(t.Key)), ...own];
}

export function tagMap(v: unknown, stackTags: Tag[] = []): Record<string, string> | undefined {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return { ...Object.fromEntries(stackTags.map((t) => [t.Key, t.Value])), ...(v as Record<string, string>) };
  const list = tagList(v, stackTags);
  return list.length === 0 ? undefined : Object.fromEntries(list.map((t) => [t.Key, t.Value]));
}

/** A copy without undefined members (SDK inputs). */
export function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The property names whose values differ between two property sets. */
export function changedProperties(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
