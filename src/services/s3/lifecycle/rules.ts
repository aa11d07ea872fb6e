import { parseXml, xmlText, type XmlObject } from '../../../protocols/rest-xml.js';
import { errors } from '../errors.js';

/** Which objects a rule applies to: a key prefix, tags (all must match) and size bounds. */
export interface LifecycleFilter {
  prefix?: string;
  tags: Array<{ key: string; value: string }>;
  sizeGreaterThan?: number;
  sizeLessThan?: number;
  /** How the filter was written (`Filter` with Prefix/Tag/And, or the legacy rule-level `Prefix`), to echo it back. */
  form: 'legacy' | 'empty' | 'prefix' | 'tag' | 'and' | 'size';
}

export interface LifecycleRule {
  id: string;
  status: 'Enabled' | 'Disabled';
  filter: LifecycleFilter;
  expiration?: { days?: number; date?: string; expiredObjectDeleteMarker?: boolean };
  noncurrentExpiration?: { noncurrentDays: number; newerNoncurrentVersions?: number };
  abortIncompleteMultipartUploadDays?: number;
  /** Transitions are stored and returned; Lambkin has one storage class, so they change nothing. */
  transitions?: unknown;
  noncurrentTransitions?: unknown;
}

const MAX_RULES = 1000;
const LISTS = ['Rule', 'Tag', 'Transition', 'NoncurrentVersionTransition'];

function positiveInteger(value: unknown, message: string): number {
  const n = Number(xmlText(value));
  if (!Number.isInteger(n) || n <= 0) throw errors.invalidArgument(message);
  return n;
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw errors.malformedXml();
  return value as Record<string, unknown>;
}

function tagsOf(value: unknown): Array<{ key: string; value: string }> {
  return ((value as unknown[] | undefined) ?? []).map((t) => {
    const tag = record(t);
    return { key: xmlText(tag.Key) ?? '', value: xmlText(tag.Value) ?? '' };
  });
}

function parseFilter(rule: Record<string, unknown>): LifecycleFilter {
  if (rule.Filter !== undefined && rule.Prefix !== undefined) throw errors.malformedXml();
  if (rule.Filter === undefined) {
    if (rule.Prefix === undefined) throw errors.malformedXml();
    return { prefix: xmlText(rule.Prefix) ?? '', tags: [], form: 'legacy' };
  }
  const f = rule.Filter === '' ? {} : record(rule.Filter);
  const present = ['Prefix', 'Tag', 'And', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan'].filter((k) => f[k] !== undefined);
  if (present.length > 1) throw errors.malformedXml();
  if (present.length === 0) return { tags: [], form: 'empty' };
  if (f.Prefix !== undefined) return { prefix: xmlText(f.Prefix) ?? '', tags: [], form: 'prefix' };
  if (f.Tag !== undefined) {
    const tags = tagsOf(f.Tag);
    if (tags.length !== 1) throw errors.malformedXml();
    return { tags, form: 'tag' };
  }
  if (f.And !== undefined) {
    const and = record(f.And);
    const filter: LifecycleFilter = { tags: tagsOf(and.Tag), form: 'and' };
    if (and.Prefix !== undefined) filter.prefix = xmlText(and.Prefix) ?? '';
    if (and.ObjectSizeGreaterThan !== undefined) filter.sizeGreaterThan = Number(xmlText(and.ObjectSizeGreaterThan));
    if (and.ObjectSizeLessThan !== undefined) filter.sizeLessThan = Number(xmlText(and.ObjectSizeLessThan));
    return filter;
  }
  const filter: LifecycleFilter = { tags: [], form: 'size' };
  if (f.ObjectSizeGreaterThan !== undefined) filter.sizeGreaterThan = Number(xmlText(f.ObjectSizeGreaterThan));
  if (f.ObjectSizeLessThan !== undefined) filter.sizeLessThan = Number(xmlText(f.ObjectSizeLessThan));
  return filter;
}

/** A `<LifecycleConfiguration>` document, checked as S3 checks it. */
export function parseLifecycleConfiguration(text: string): LifecycleRule[] {
  const doc = parseXml(text, LISTS);
  const root = doc?.LifecycleConfiguration as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw errors.malformedXml();
  const raw = (root.Rule as unknown[] | undefined) ?? [];
  if (raw.length === 0 || raw.length > MAX_RULES) throw errors.malformedXml();
  const ids = new Set<string>();
  return raw.map((item, index) => {
    const r = record(item);
    const id = r.ID !== undefined ? (xmlText(r.ID) ?? '') : `rule-${index + 1}`;
    if (id.length > 255) throw errors.invalidArgument('ID length should not exceed allowed limit of 255', 'ID', id);
    if (ids.has(id)) throw errors.invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id);
    ids.add(id);
    const status = xmlText(r.Status);
    if (status !== 'Enabled' && status !== 'Disabled') throw errors.malformedXml();
    const rule: LifecycleRule = { id, status, filter: parseFilter(r) };
    if (r.Expiration !== undefined) {
      const e = record(r.Expiration);
      const kinds = ['Days', 'Date', 'ExpiredObjectDeleteMarker'].filter((k) => e[k] !== undefined);
      if (kinds.length !== 1) throw errors.malformedXml();
      if (e.Days !== undefined) rule.expiration = { days: positiveInteger(e.Days, "'Days' for Expiration action must be a positive integer") };
      if (e.Date !== undefined) {
        const date = xmlText(e.Date) ?? '';
        const ms = Date.parse(date);
        if (Number.isNaN(ms)) throw errors.invalidArgument('Invalid date');
        if (ms % 86_400_000 !== 0) throw errors.invalidArgument("'Date' must be at midnight GMT");
        rule.expiration = { date: new Date(ms).toISOString() };
      }
      if (e.ExpiredObjectDeleteMarker !== undefined) {
        if (rule.filter.tags.length > 0) throw errors.invalidRequest('ExpiredObjectDeleteMarker cannot be specified with object tags.');
        rule.expiration = { expiredObjectDeleteMarker: xmlText(e.ExpiredObjectDeleteMarker) === 'true' };
      }
    }
    if (r.NoncurrentVersionExpiration !== undefined) {
      const n = record(r.NoncurrentVersionExpiration);
      rule.noncurrentExpiration = {
        noncurrentDays: positiveInteger(n.NoncurrentDays, "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer"),
      };
      if (n.NewerNoncurrentVersions !== undefined) {
        rule.noncurrentExpiration.newerNoncurrentVersions = positiveInteger(n.NewerNoncurrentVersions, "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer");
      }
    }
    if (r.AbortIncompleteMultipartUpload !== undefined) {
      if (rule.filter.tags.length > 0) throw errors.invalidRequest('AbortIncompleteMultipartUpload cannot be specified with Tags.');
      const a = record(r.AbortIncompleteMultipartUpload);
      rule.abortIncompleteMultipartUploadDays = positiveInteger(a.DaysAfterInitiation, "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
    }
    if (r.Transition !== undefined) rule.transitions = r.Transition;
    if (r.NoncurrentVersionTransition !== undefined) rule.noncurrentTransitions = r.NoncurrentVersionTransition;
    if (!rule.expiration && !rule.noncurrentExpiration && rule.abortIncompleteMultipartUploadDays === undefined && !rule.transitions && !rule.noncurrentTransitions) {
      throw errors.invalidRequest('At least one action needs to be specified in a rule');
    }
    return rule;
  });
}

function filterXml(f: LifecycleFilter): XmlObject {
  const tags = f.tags.map((t) => ({ Key: t.key, Value: t.value }));
  switch (f.form) {
    case 'legacy':
    case 'prefix':
      return { Prefix: f.prefix ?? '' };
    case 'tag':
      return { Tag: tags[0] };
    case 'and':
      return { And: { Prefix: f.prefix, Tag: tags, ObjectSizeGreaterThan: f.sizeGreaterThan, ObjectSizeLessThan: f.sizeLessThan } };
    case 'size':
      return { ObjectSizeGreaterThan: f.sizeGreaterThan, ObjectSizeLessThan: f.sizeLessThan };
    default:
      return {};
  }
}

export function lifecycleConfigurationXml(rules: LifecycleRule[]): XmlObject {
  return {
    Rule: rules.map((r) => ({
      ID: r.id,
      ...(r.filter.form === 'legacy' ? { Prefix: r.filter.prefix ?? '' } : { Filter: filterXml(r.filter) }),
      Status: r.status,
      Transition: r.transitions as XmlObject[] | undefined,
      Expiration: r.expiration
        ? { Days: r.expiration.days, Date: r.expiration.date, ExpiredObjectDeleteMarker: r.expiration.expiredObjectDeleteMarker }
        : undefined,
      NoncurrentVersionTransition: r.noncurrentTransitions as XmlObject[] | undefined,
      NoncurrentVersionExpiration: r.noncurrentExpiration
        ? { NoncurrentDays: r.noncurrentExpiration.noncurrentDays, NewerNoncurrentVersions: r.noncurrentExpiration.newerNoncurrentVersions }
        : undefined,
      AbortIncompleteMultipartUpload: r.abortIncompleteMultipartUploadDays !== undefined ? { DaysAfterInitiation: r.abortIncompleteMultipartUploadDays } : undefined,
    })),
  };
}

/** Whether a rule's filter selects an object (key, tags, size). */
export function ruleSelects(filter: LifecycleFilter, key: string, tags: Record<string, string>, size: number): boolean {
  if (filter.prefix !== undefined && !key.startsWith(filter.prefix)) return false;
  if (!filter.tags.every((t) => tags[t.key] === t.value)) return false;
  if (filter.sizeGreaterThan !== undefined && !(size > filter.sizeGreaterThan)) return false;
  if (filter.sizeLessThan !== undefined && !(size < filter.sizeLessThan)) return false;
  return true;
}

const DAY_MS = 86_400_000;

/** S3 counts days from creation and rounds the result up to the next midnight UTC. */
export function dueAfterDays(fromMs: number, days: number): number {
  return Math.ceil((fromMs + days * DAY_MS) / DAY_MS) * DAY_MS;
}
