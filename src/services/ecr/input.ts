import type { RequestContext } from '../../contracts/request-context.js';
import { errors } from './errors.js';
import { isRepositoryName, type RepositoryKey } from './names.js';

/** A required string member, or AWS's "must not be null" ValidationException. */
export function requiredString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (value === undefined || value === null) throw errors.validation([`Value null at '${member}' failed to satisfy constraint: Member must not be null`]);
  if (typeof value !== 'string') throw errors.serialization(`${member} must be a string`);
  return value;
}

export function optionalString(input: Record<string, unknown>, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.serialization(`${member} must be a string`);
  return value;
}

/** The repository a request names, in the caller's registry (`registryId`, when given, must be it). */
export function repositoryKeyOf(input: Record<string, unknown>, ctx: RequestContext): RepositoryKey {
  const name = requiredString(input, 'repositoryName');
  if (!isRepositoryName(name)) throw errors.invalidRepositoryName();
  const registryId = optionalString(input, 'registryId');
  if (registryId !== undefined && registryId !== ctx.accountId) throw errors.repositoryNotFound(name, registryId);
  return { accountId: ctx.accountId, region: ctx.region, name };
}

/** A page of `items` from an opaque offset token. */
export function page<T>(items: T[], input: Record<string, unknown>, defaultMax: number, max: number): { items: T[]; nextToken?: string } {
  const maxResults = input.maxResults === undefined ? defaultMax : Number(input.maxResults);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > max) {
    throw errors.validation([`Value '${String(input.maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${max}`]);
  }
  let start = 0;
  if (typeof input.nextToken === 'string') {
    start = Number(Buffer.from(input.nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw errors.invalidParameter("Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid pagination token'");
  }
  const slice = items.slice(start, start + maxResults);
  const next = start + maxResults < items.length ? Buffer.from(String(start + maxResults)).toString('base64url') : undefined;
  return next ? { items: slice, nextToken: next } : { items: slice };
}
