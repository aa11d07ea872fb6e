/**
 * A small XML writer for AWS responses. Values: string/number/boolean → text; object → child
 * elements in key order; array → the element repeated once per item (AWS "flattened" lists);
 * undefined/null → omitted.
 */
export type XmlValue = string | number | boolean | null | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c] ?? c);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

export function xmlElement(name: string, value: XmlValue, attributes = ''): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join('');
  if (typeof value === 'object') return `<${name}${attributes}>${xmlChildren(value)}</${name}>`;
  return `<${name}${attributes}>${escapeXml(String(value))}</${name}>`;
}

export function xmlChildren(object: XmlObject): string {
  let out = '';
  for (const [key, value] of Object.entries(object)) out += xmlElement(key, value);
  return out;
}
