import type { QueryParams } from '../../../protocols/query.js';
import { iamErrors } from '../errors.js';
import { LIST_MAX_ITEMS_DEFAULT, NAME_PATTERN } from '../limits.js';

/** A required IAM name parameter (`RoleName`, `UserName`, `PolicyName`), checked as the model does. */
export function requiredName(params: QueryParams, name: string, max: number): string {
  const value = params.get(name);
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  if (value === undefined) throw iamErrors.missing(member);
  if (value.length > max) throw iamErrors.length(value, member, max);
  if (!NAME_PATTERN.test(value)) throw iamErrors.pattern(value, member);
  return value;
}

export function required(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw iamErrors.missing(name.charAt(0).toLowerCase() + name.slice(1));
  return value;
}

export function pathOf(params: QueryParams): string {
  const path = params.get('Path') ?? '/';
  if (!/^\/([\x21-\x7E]*\/)?$/.test(path)) throw iamErrors.validation(`The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
  return path;
}

/** `Marker` (the last name key shown) and `MaxItems`. */
export function paging(params: QueryParams): { marker: string | null; maxItems: number } {
  const max = Number(params.get('MaxItems') ?? LIST_MAX_ITEMS_DEFAULT);
  if (!Number.isInteger(max) || max < 1 || max > 1000) throw iamErrors.validation(`1 validation error detected: Value '${params.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`);
  const marker = params.get('Marker');
  return { marker: marker ? Buffer.from(marker, 'base64url').toString('utf8') : null, maxItems: max };
}

/** The page's list, `IsTruncated` and the next `Marker`. */
export function pageResult<T extends { name_key: string }>(rows: T[], maxItems: number): { shown: T[]; truncated: boolean; marker?: string } {
  const truncated = rows.length > maxItems;
  const shown = rows.slice(0, maxItems);
  return truncated ? { shown, truncated, marker: Buffer.from(shown[shown.length - 1]!.name_key).toString('base64url') } : { shown, truncated };
}
