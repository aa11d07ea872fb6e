import type { QueryParams } from '../../protocols/query.js';
import { snsErrors } from './errors.js';
import { MAX_MESSAGE_ATTRIBUTE_NAME_BYTES } from './limits.js';

/** A Publish message attribute; Binary values are kept base64-encoded, as they arrive. */
export interface MessageAttribute {
  type: string;
  value: string;
  binary: boolean;
}

/**
 * Reads `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue|BinaryValue`
 * and validates them with AWS's messages. `path` names the member in ValidationError messages.
 */
export function readMessageAttributes(params: QueryParams, prefix: string, path: string): Record<string, MessageAttribute> {
  const out: Record<string, MessageAttribute> = {};
  for (const [name, value] of params.map(prefix, 'Name', 'Value')) {
    validateName(name);
    const type = value.get('DataType');
    if (type === undefined || type === '') throw snsErrors.validationNull(`${path}.${name}.member.dataType`);
    const stringValue = value.get('StringValue');
    const binaryValue = value.get('BinaryValue');
    const base = type.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw snsErrors.messageAttribute(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    if (base === 'Binary') {
      if (stringValue !== undefined) throw snsErrors.messageAttribute(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      if (!binaryValue) throw snsErrors.messageAttribute(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type 'Binary'.`);
      out[name] = { type, value: binaryValue, binary: true };
      continue;
    }
    if (binaryValue !== undefined) throw snsErrors.messageAttribute(`The message attribute '${name}' with type '${base}' must use field 'String'.`);
    if (stringValue === undefined || stringValue === '') {
      throw snsErrors.messageAttribute(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`);
    }
    if (base === 'Number' && !isSnsNumber(stringValue)) {
      throw snsErrors.messageAttribute(`An invalid or out-of-range value '${stringValue}' was supplied for the message attribute '${name}' of type 'Number'.`);
    }
    if (type.startsWith('String.Array') && !isJsonArray(stringValue)) {
      throw snsErrors.messageAttribute(`The message attribute '${name}' with type 'String.Array' has an invalid value: ${stringValue}`);
    }
    out[name] = { type, value: stringValue, binary: false };
  }
  return out;
}

function validateName(name: string): void {
  if (Buffer.byteLength(name) >= MAX_MESSAGE_ATTRIBUTE_NAME_BYTES) throw snsErrors.messageAttribute('Length of message attribute name must be less than 256 bytes.');
  const bad = /[^A-Za-z0-9_.-]/.exec(name);
  if (bad) {
    const hex = bad[0].codePointAt(0)!.toString(16).toUpperCase();
    throw snsErrors.messageAttribute(
      `Invalid non-alphanumeric character '#x${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
    );
  }
  if (name.startsWith('.')) throw snsErrors.messageAttribute("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw snsErrors.messageAttribute("Invalid message attribute name ending with character '.' was found.");
  if (name.includes('..')) throw snsErrors.messageAttribute("Message attribute name can not have successive '.' character.");
}

/** SNS numbers: up to 15 significant digits, between -1e9 and 1e9. */
function isSnsNumber(text: string): boolean {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && Math.abs(n) <= 1e9;
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Bytes the attributes add to the message size (names, types and values, as AWS counts them). */
export function attributesSize(attributes: Record<string, MessageAttribute>): number {
  let n = 0;
  for (const [name, a] of Object.entries(attributes)) n += Buffer.byteLength(name) + Buffer.byteLength(a.type) + (a.binary ? Buffer.from(a.value, 'base64').length : Buffer.byteLength(a.value));
  return n;
}
