import { parseXml, xmlText, type XmlObject } from '../../../protocols/rest-xml.js';
import { errors } from '../errors.js';

/** One CORSRule, as PutBucketCors gives it and GetBucketCors returns it. */
export interface CorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

const METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);
/** S3 takes at most 100 rules in a configuration. */
const MAX_RULES = 100;

/** A `<CORSConfiguration>` document, checked as S3 checks it. */
export function parseCorsConfiguration(text: string): CorsRule[] {
  const doc = parseXml(text, ['CORSRule', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader']);
  const root = doc?.CORSConfiguration as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw errors.malformedXml();
  const raw = (root.CORSRule as Array<Record<string, unknown>> | undefined) ?? [];
  if (raw.length === 0 || raw.length > MAX_RULES) throw errors.malformedXml();
  return raw.map((r) => {
    if (typeof r !== 'object' || r === null) throw errors.malformedXml();
    const list = (name: string) => ((r[name] as unknown[] | undefined) ?? []).map((v) => xmlText(v) ?? '');
    const rule: CorsRule = {
      ...(r.ID !== undefined ? { id: xmlText(r.ID) ?? '' } : {}),
      allowedOrigins: list('AllowedOrigin'),
      allowedMethods: list('AllowedMethod'),
      allowedHeaders: list('AllowedHeader'),
      exposeHeaders: list('ExposeHeader'),
    };
    if (rule.allowedOrigins.length === 0 || rule.allowedMethods.length === 0) throw errors.malformedXml();
    for (const method of rule.allowedMethods) {
      if (!METHODS.has(method)) throw errors.invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${method}`);
    }
    for (const origin of rule.allowedOrigins) {
      if (origin.split('*').length > 2) throw errors.invalidRequest(`AllowedOrigin "${origin}" can not have more than one wildcard.`);
    }
    for (const name of rule.allowedHeaders) {
      if (name.split('*').length > 2) throw errors.invalidRequest(`AllowedHeader "${name}" can not have more than one wildcard.`);
    }
    for (const name of rule.exposeHeaders) {
      if (name.includes('*')) throw errors.invalidRequest(`ExposeHeader "${name}" contains wildcard. We currently do not support wildcard for ExposeHeader.`);
    }
    if (r.MaxAgeSeconds !== undefined) {
      const age = Number(xmlText(r.MaxAgeSeconds));
      if (!Number.isInteger(age)) throw errors.malformedXml();
      rule.maxAgeSeconds = age;
    }
    return rule;
  });
}

export function corsConfigurationXml(rules: CorsRule[]): XmlObject {
  return {
    CORSRule: rules.map((r) => ({
      ID: r.id,
      AllowedHeader: r.allowedHeaders,
      AllowedMethod: r.allowedMethods,
      AllowedOrigin: r.allowedOrigins,
      ExposeHeader: r.exposeHeaders,
      MaxAgeSeconds: r.maxAgeSeconds,
    })),
  };
}

/** `*` matches any run of characters (one wildcard at most, as Put checks); case-sensitive for origins. */
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/**
 * The first rule that allows an origin, a method and (for a preflight) every header the browser
 * asks to send; S3 uses the first match only.
 */
export function matchingRule(rules: CorsRule[], origin: string, method: string, requestHeaders: string[] = []): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((o) => wildcardMatch(o, origin, false)) &&
      rule.allowedMethods.includes(method) &&
      requestHeaders.every((h) => rule.allowedHeaders.some((allowed) => wildcardMatch(allowed, h, true))),
  );
}
