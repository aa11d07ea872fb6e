/**
 * A small XML writer for AWS responses. Values: string/number/boolean → text; object → child
 * elements in key order; array → a list in the writer's list style; undefined/null → omitted.
 */
export type XmlValue = string | number | boolean | null | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

/**
 * How a service writes XML, which differs between the services that use it:
 * - `lists`: `'flattened'` repeats the element once per item (`<Attribute>…</Attribute><Attribute>…`);
 *   `'member'` wraps the items (`<Names><member>…</member><member>…</member></Names>`, `<Names></Names>` when empty).
 * - `escape`: which characters text is escaped for.
 */
export interface XmlStyle {
  lists: 'flattened' | 'member';
  escape: (text: string) => string;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/** `& < > " ' \r` escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c] ?? c);
}

/** `& < > " '` escaped; carriage returns kept. */
export function escapeXmlKeepingCr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** `& < > "` escaped; apostrophes and carriage returns kept. */
export function escapeXmlKeepingApostrophes(text: string): string {
  return text.replace(/[&<>"]/g, (c) => XML_ESCAPES[c] ?? c);
}

export const FLATTENED_XML: XmlStyle = { lists: 'flattened', escape: escapeXml };

export function xmlElement(name: string, value: XmlValue, style: XmlStyle = FLATTENED_XML, attributes = ''): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    if (style.lists === 'flattened') return value.map((item) => xmlElement(name, item, style)).join('');
    return `<${name}${attributes}>${value.map((item) => xmlElement('member', item, style)).join('')}</${name}>`;
  }
  if (typeof value === 'object') return `<${name}${attributes}>${xmlChildren(value, style)}</${name}>`;
  return `<${name}${attributes}>${style.escape(String(value))}</${name}>`;
}

export function xmlChildren(object: XmlObject, style: XmlStyle = FLATTENED_XML): string {
  let out = '';
  for (const [key, value] of Object.entries(object)) out += xmlElement(key, value, style);
  return out;
}
