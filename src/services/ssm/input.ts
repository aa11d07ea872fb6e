import { errors } from './errors.js';

/** Members of a request, checked as the service's model types them. */
export function requiredString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string') {
    if (value === undefined || value === null) {
      throw errors.validation(`1 validation error detected: Value null at '${member[0]!.toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
    }
    throw errors.serialization(`STRING_VALUE can not be converted to ${member}`);
  }
  return value;
}

export function optionalString(input: Record<string, unknown>, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.serialization(`Unexpected value for ${member}`);
  return value;
}

export function optionalBoolean(input: Record<string, unknown>, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw errors.serialization(`Unexpected value for ${member}`);
  return value;
}

export function stringList(input: Record<string, unknown>, member: string, min: number, max: number): string[] {
  const value = input[member];
  const lower = `${member[0]!.toLowerCase()}${member.slice(1)}`;
  if (value === undefined || value === null) throw errors.validation(`1 validation error detected: Value null at '${lower}' failed to satisfy constraint: Member must not be null`);
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw errors.serialization(`Unexpected value for ${member}`);
  if (value.length < min || value.length > max) {
    throw errors.validation(
      `1 validation error detected: Value '[${value.join(', ')}]' at '${lower}' failed to satisfy constraint: Member must have length ${value.length < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
    );
  }
  return value as string[];
}

export function maxResults(input: Record<string, unknown>, max: number): number {
  const value = input.MaxResults;
  if (value === undefined || value === null) return max;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw errors.serialization('Unexpected value for MaxResults');
  if (value < 1 || value > max) {
    throw errors.validation(`1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value ${value < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`);
  }
  return value;
}

/** NextToken: the name after which the next page starts, base64url so it looks opaque. */
export function readNextToken(input: Record<string, unknown>): string | undefined {
  const token = input.NextToken;
  if (token === undefined || token === null || token === '') return undefined;
  if (typeof token !== 'string') throw errors.invalidNextToken();
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!decoded.startsWith('n:')) throw errors.invalidNextToken();
  return decoded.slice(2);
}

export function nextToken(lastName: string): string {
  return Buffer.from(`n:${lastName}`, 'utf8').toString('base64url');
}

/** A page of `items` (sorted by name) after the token's name. */
export function page<T extends { name: string }>(items: T[], after: string | undefined, size: number): { items: T[]; next?: string } {
  const start = after === undefined ? 0 : items.findIndex((item) => item.name > after);
  const rest = start < 0 ? [] : items.slice(start);
  const slice = rest.slice(0, size);
  return { items: slice, next: rest.length > size ? nextToken(slice[slice.length - 1]!.name) : undefined };
}
