import { errors } from './errors.js';
import { ConstraintCheck, PATTERNS } from './validation.js';

export function functionArn(region: string, accountId: string, name: string, qualifier?: string | null): string {
  const base = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
  return qualifier ? `${base}:${qualifier}` : base;
}

export function layerArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:layer:${name}`;
}

export function layerVersionArn(region: string, accountId: string, name: string, version: number): string {
  return `${layerArn(region, accountId, name)}:${version}`;
}

export function eventSourceMappingArn(region: string, accountId: string, uuid: string): string {
  return `arn:aws:lambda:${region}:${accountId}:event-source-mapping:${uuid}`;
}

/** Any `{FunctionName}` form broken into parts; absent parts are null. */
export interface FunctionNameParts {
  name: string;
  qualifier: string | null;
  accountId: string | null;
  region: string | null;
}

const FUNCTION_NAME_FORM =
  /^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:((?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$/;

export function parseFunctionName(input: string): FunctionNameParts | null {
  const m = FUNCTION_NAME_FORM.exec(input);
  if (!m) return null;
  return { region: m[1] ?? null, accountId: m[2] ?? null, name: m[3] ?? '', qualifier: m[4] ?? null };
}

export interface ResolvedFunctionRef {
  name: string;
  /** The qualifier from the name or the `Qualifier` parameter; null when neither gave one. */
  qualifier: string | null;
}

/**
 * Resolves a `{FunctionName}` plus optional `Qualifier` for the caller's account and region:
 * another region's ARN is not found there, another account's is refused, and the two qualifiers
 * must agree.
 */
export function resolveFunctionRef(
  input: string,
  queryQualifier: string | null | undefined,
  caller: { accountId: string; region: string },
  action: string,
): ResolvedFunctionRef {
  const parts = parseFunctionName(input);
  if (!parts) {
    new ConstraintCheck().pattern(input, 'functionName', PATTERNS.functionNameNamespaced).throwIfFailed();
    return { name: input, qualifier: queryQualifier ?? null };
  }
  if (parts.region && parts.region !== caller.region) throw errors.otherRegion(parts.region, caller.region);
  if (parts.accountId && parts.accountId !== caller.accountId) {
    throw errors.accessDenied(action, functionArn(parts.region ?? caller.region, parts.accountId, parts.name, parts.qualifier), caller.accountId);
  }
  if (parts.qualifier && queryQualifier && parts.qualifier !== queryQualifier) throw errors.qualifierMismatch();
  return { name: parts.name, qualifier: parts.qualifier ?? queryQualifier ?? null };
}
