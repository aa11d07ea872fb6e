import { Decimal } from 'decimal.js';
import { MAX_NUMBER_EXPONENT, MAX_NUMBER_SIGNIFICANT_DIGITS, MIN_NUMBER_EXPONENT } from './limits.js';
import { AttributeValueInvalid } from './value-errors.js';

/**
 * DynamoDB numbers: decimal strings of up to 38 significant digits, magnitude 1E-130 to
 * 9.99…E+125, computed exactly (never through JavaScript floats).
 *
 * Enough precision that adding the largest and the smallest supported magnitudes stays exact
 * (125 + 130 + 38 digits); a sum that needs more than 38 digits is then refused, as AWS does,
 * instead of being silently rounded.
 */
const Exact = Decimal.clone({ precision: 320, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -9e15, toExpPos: 9e15, maxE: 9e15, minE: -9e15 });
export type DynamoNumber = InstanceType<typeof Exact>;

// What Java's BigDecimal(String) accepts, DynamoDB's parser: no hex, no Infinity/NaN, no spaces.
const NUMBER_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export const NOT_NUMERIC = 'The parameter cannot be converted to a numeric value';
export const TOO_MANY_DIGITS = 'Attempting to store more than 38 significant digits in a Number';
export const NUMBER_OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
export const NUMBER_UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';

/** Parses and range-checks a number as DynamoDB does when it is stored or compared. */
export function parseNumber(text: string): DynamoNumber {
  if (text === '') throw new AttributeValueInvalid(NOT_NUMERIC);
  if (!NUMBER_SYNTAX.test(text)) throw new AttributeValueInvalid(`${NOT_NUMERIC}: ${text}`);
  const value = new Exact(text);
  if (!value.isFinite()) throw new AttributeValueInvalid(NUMBER_OVERFLOW);
  // An exponent beyond decimal.js's own range collapses to zero; the digits say it was not zero.
  if (value.isZero() && /[1-9]/.test(text.split(/[eE]/)[0]!)) throw new AttributeValueInvalid(NUMBER_UNDERFLOW);
  return checkRange(value);
}

/** Refuses a value DynamoDB could not store: the same checks for parsed input and computed results. */
export function checkRange(value: DynamoNumber): DynamoNumber {
  if (value.isZero()) return value;
  const exponent = value.e;
  if (exponent > MAX_NUMBER_EXPONENT) throw new AttributeValueInvalid(NUMBER_OVERFLOW);
  if (exponent < MIN_NUMBER_EXPONENT) throw new AttributeValueInvalid(NUMBER_UNDERFLOW);
  if (value.precision() > MAX_NUMBER_SIGNIFICANT_DIGITS) throw new AttributeValueInvalid(TOO_MANY_DIGITS);
  return value;
}

/** The form DynamoDB answers with: no exponent, no leading or trailing zeros, "-0" as "0". */
export function formatNumber(value: DynamoNumber): string {
  return value.isZero() ? '0' : value.toFixed();
}

/**
 * A plain integer of at most 38 digits with no sign but minus and no leading zero: already in
 * canonical form and in range. Most numbers are; decimal.js costs a few µs for each.
 */
const PLAIN_INTEGER = /^-?[1-9]\d{0,37}$/;

/** Validates `text` and returns its canonical form ("1.50" → "1.5", "1e3" → "1000"). */
export function canonicalNumber(text: string): string {
  if (text === '0' || PLAIN_INTEGER.test(text)) return text;
  return formatNumber(parseNumber(text));
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b` (both already valid numbers). */
export function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  return new Exact(a).comparedTo(new Exact(b)) as -1 | 0 | 1;
}

/** `a + b`, refused as AWS refuses it when the result leaves the supported range or digits. */
export function addNumbers(a: string, b: string): string {
  return formatNumber(checkRange(parseNumber(a).plus(parseNumber(b))));
}

export function subtractNumbers(a: string, b: string): string {
  return formatNumber(checkRange(parseNumber(a).minus(parseNumber(b))));
}

/**
 * The digits and scientific exponent of a valid non-zero number: `digits` without leading or
 * trailing zeros, value = 0.d1d2… × 10^(exponent + 1), i.e. d1.d2… × 10^exponent.
 */
export function decompose(text: string): { negative: boolean; digits: string; exponent: number } | null {
  if (text === '0') return null;
  if (PLAIN_INTEGER.test(text)) {
    const negative = text.charCodeAt(0) === 45;
    const magnitude = negative ? text.slice(1) : text;
    return { negative, digits: magnitude.replace(/0+$/, ''), exponent: magnitude.length - 1 };
  }
  const value = new Exact(text);
  if (value.isZero()) return null;
  const digits = value.abs().toExponential().split('e')[0]!.replace('.', '');
  return { negative: value.isNegative(), digits, exponent: value.e };
}
