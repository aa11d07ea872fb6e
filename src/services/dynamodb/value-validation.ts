import type { AttributeType, AttributeValue, Item } from './attribute-value.js';
import { MAX_NESTED_CONTAINERS } from './limits.js';
import { canonicalNumber } from './numbers.js';
import { AttributeValueInvalid, PARAMETER_VALUES_INVALID } from './value-errors.js';

/**
 * Checks an attribute value from a request body as DynamoDB does, and returns it normalised
 * (numbers in canonical form, inside sets, lists and maps too). The order of the checks follows
 * AWS: each member in the order given, then "more than one datatype".
 */

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];

export const EMPTY_ATTRIBUTE_VALUE = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
export const SEVERAL_DATATYPES = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
export const NESTING_TOO_DEEP = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

export function validateItem(item: unknown): Item {
  if (!isPlainObject(item)) throw serialization(item, 'Map');
  const out: Item = {};
  for (const [name, value] of Object.entries(item)) {
    if (value === null || value === undefined) continue;
    out[name] = validateValue(value, 0);
  }
  return out;
}

export function validateAttributeValue(value: unknown): AttributeValue {
  return validateValue(value, 0);
}

function validateValue(value: unknown, containersAbove: number): AttributeValue {
  if (!isPlainObject(value)) throw serialization(value, 'AttributeValue');
  const present = ATTRIBUTE_TYPES.filter((type) => value[type] !== undefined && value[type] !== null);
  if (present.length === 0) throw new AttributeValueInvalid(EMPTY_ATTRIBUTE_VALUE);
  let result: AttributeValue | undefined;
  for (const type of present) result = validateMember(type, value[type], containersAbove);
  if (present.length > 1) throw new AttributeValueInvalid(SEVERAL_DATATYPES);
  return result!;
}

function validateMember(type: AttributeType, raw: unknown, containersAbove: number): AttributeValue {
  switch (type) {
    case 'S':
      return { S: expectString(raw, 'String') };
    case 'N':
      return { N: canonicalNumber(expectString(raw, 'String')) };
    case 'B':
      return { B: expectBase64(raw) };
    case 'BOOL':
      return { BOOL: expectBoolean(raw) };
    case 'NULL':
      if (!expectBoolean(raw)) throw new AttributeValueInvalid(`${PARAMETER_VALUES_INVALID}Null attribute value types must have the value of true`);
      return { NULL: true };
    case 'SS': {
      const members = expectList(raw).map((x) => expectString(x, 'String'));
      if (members.length === 0) throw new AttributeValueInvalid(`${PARAMETER_VALUES_INVALID}An string set  may not be empty`);
      if (hasDuplicate(members)) throw new AttributeValueInvalid(`${PARAMETER_VALUES_INVALID}Input collection [${members.join(', ')}] contains duplicates.`);
      return { SS: members };
    }
    case 'NS': {
      const members = expectList(raw).map((x) => expectString(x, 'String'));
      if (members.length === 0) throw new AttributeValueInvalid(`${PARAMETER_VALUES_INVALID}An number set  may not be empty`);
      const canonical = members.map(canonicalNumber);
      // Duplicates by value ("1" and "1.0"), and AWS says so without listing them or the usual prefix.
      if (hasDuplicate(canonical)) throw new AttributeValueInvalid('Input collection contains duplicates');
      return { NS: canonical };
    }
    case 'BS': {
      const members = expectList(raw).map(expectBase64);
      if (members.length === 0) throw new AttributeValueInvalid(`${PARAMETER_VALUES_INVALID}Binary sets should not be empty`);
      // AWS's text really lacks the space before "of".
      if (hasDuplicate(members)) throw new AttributeValueInvalid(`${PARAMETER_VALUES_INVALID}Input collection [${members.join(', ')}]of type BS contains duplicates.`);
      return { BS: members };
    }
    case 'M': {
      if (!isPlainObject(raw)) throw serialization(raw, 'Map');
      if (containersAbove + 1 > MAX_NESTED_CONTAINERS) throw new AttributeValueInvalid(NESTING_TOO_DEEP);
      const entries: Record<string, AttributeValue> = {};
      for (const [name, member] of Object.entries(raw)) {
        if (member === null || member === undefined) continue;
        entries[name] = validateValue(member, containersAbove + 1);
      }
      return { M: entries };
    }
    case 'L': {
      const members = expectList(raw);
      if (containersAbove + 1 > MAX_NESTED_CONTAINERS) throw new AttributeValueInvalid(NESTING_TOO_DEEP);
      return { L: members.map((member) => validateValue(member, containersAbove + 1)) };
    }
  }
}

function hasDuplicate(values: string[]): boolean {
  return new Set(values).size !== values.length;
}

function expectString(raw: unknown, javaType: string): string {
  if (typeof raw !== 'string') throw serialization(raw, javaType);
  return raw;
}

function expectBoolean(raw: unknown): boolean {
  if (typeof raw !== 'boolean') throw serialization(raw, 'Boolean');
  return raw;
}

function expectList(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (typeof raw === 'object' && raw !== null) throw new AttributeValueInvalid('Start of structure or map found where not expected', 'SerializationException');
  throw new AttributeValueInvalid('Unexpected field type', 'SerializationException');
}

// The JSON body decoder (Jackson under Coral) checks base64 strictly before any validation runs.
function expectBase64(raw: unknown): string {
  if (typeof raw !== 'string') {
    if (typeof raw === 'boolean' || typeof raw === 'number') throw new AttributeValueInvalid('only base-64-encoded strings are convertible to bytes', 'SerializationException');
    throw serialization(raw, 'ByteBuffer');
  }
  if (raw.length % 4 !== 0) throw new AttributeValueInvalid(`Base64 encoded length is expected a multiple of 4 bytes but found: ${raw.length}`, 'SerializationException');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw) || Buffer.from(raw, 'base64').toString('base64') !== raw) {
    throw new AttributeValueInvalid('Invalid last non-pad Base64 character dectected', 'SerializationException');
  }
  return raw;
}

/** Jackson's complaints when a member has the wrong JSON shape (SDKs never send these; hand-written bodies do). */
function serialization(raw: unknown, javaType: string): AttributeValueInvalid {
  let message: string;
  if (Array.isArray(raw)) message = `Unrecognized collection type class java.lang.${javaType}`;
  else if (typeof raw === 'object' && raw !== null) message = 'Start of structure or map found where not expected';
  else if (typeof raw === 'boolean') message = `${raw ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to ${javaType}`;
  else if (typeof raw === 'number') message = `${Number.isInteger(raw) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'} cannot be converted to ${javaType}`;
  else message = `STRING_VALUE cannot be converted to ${javaType}`;
  return new AttributeValueInvalid(message, 'SerializationException');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
