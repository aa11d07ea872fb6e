import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AwsError } from '../contracts/aws-error.js';
import type { ServiceResponse } from '../contracts/request-context.js';

/** The rest-xml wire protocol (S3 and friends): XML documents in, XML documents out. */

// S3 escapes only what XML requires in text (`&`, `<`, `>`); quotes and apostrophes stay literal.
const escapeText = (value: unknown): string => String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressBooleanAttributes: false,
  processEntities: false,
  tagValueProcessor: (_name, value) => escapeText(value),
});

export type XmlValue = string | number | boolean | null | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

/** `<?xml …?><Root xmlns="…">…</Root>`; arrays become repeated elements, undefined members are left out. */
export function xmlDocument(root: string, content: XmlObject, xmlns?: string): string {
  const body = xmlns ? { '@_xmlns': xmlns, ...dropUndefined(content) } : dropUndefined(content);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: body }) as string}`;
}

function dropUndefined(value: XmlObject): XmlObject {
  const out: XmlObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) out[k] = v.map((item) => (isObject(item) ? dropUndefined(item) : item));
    else out[k] = isObject(v) ? dropUndefined(v) : v;
  }
  return out;
}

function isObject(v: XmlValue): v is XmlObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses a request document. Elements named in `lists` always come back as arrays; text is kept
 * verbatim (keys may begin or end with spaces). Returns null when the text is not well-formed XML.
 */
export function parseXml(text: string, lists: readonly string[] = []): Record<string, unknown> | null {
  if (text.trim() === '' || XMLValidator.validate(text) !== true) return null;
  const listSet = new Set(lists);
  const parser = new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    isArray: (name) => listSet.has(name),
  });
  return parser.parse(text) as Record<string, unknown>;
}

/** The text of a parsed element (`<Key>a</Key>` → 'a'; `<Key/>` → ''). */
export function xmlText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && '#text' in (value as object)) return String((value as Record<string, unknown>)['#text']);
  return '';
}

/** `<Error><Code/><Message/>…fields…<RequestId/></Error>`; HEAD answers carry no body, as S3's. */
export function restXmlError(error: AwsError, requestId: string, options: { head?: boolean } = {}): ServiceResponse {
  const headers: Record<string, string> = { ...error.headers, 'x-amz-request-id': requestId };
  if (options.head) return { status: error.status, headers };
  const fields: XmlObject = {};
  for (const [k, v] of Object.entries(error.fields)) fields[k] = v as XmlValue;
  const body = xmlDocument('Error', { Code: error.code, Message: error.message, ...fields, RequestId: requestId, HostId: hostId(requestId) });
  return { status: error.status, headers: { ...headers, 'content-type': 'application/xml' }, body };
}

/** S3's `x-amz-id-2`: an opaque token; ours is derived from the request id. */
export function hostId(requestId: string): string {
  return Buffer.from(requestId.replace(/-/g, '').repeat(2), 'hex').toString('base64');
}
