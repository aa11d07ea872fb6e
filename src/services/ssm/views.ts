import { parameterArn } from './names.js';
import type { Scope, VersionRow } from './tables/parameters.js';

/** Epoch seconds with milliseconds, the JSON timestamp form the SDKs read. */
const seconds = (ms: number): number => Number(ms) / 1000;

/** A `Parameter` as GetParameter(s) and GetParametersByPath answer it. */
export function parameterView(scope: Scope, row: VersionRow, selector?: string): Record<string, unknown> {
  const view: Record<string, unknown> = {
    Name: row.name,
    Type: row.type,
    Value: row.value,
    Version: Number(row.version),
    LastModifiedDate: seconds(row.modified_at),
    ARN: parameterArn(scope.region, scope.accountId, row.name),
    DataType: row.data_type,
  };
  if (selector) view.Selector = selector;
  return view;
}

function policies(row: VersionRow): unknown[] {
  return (JSON.parse(row.policies) as unknown[]).map((policy) => ({ PolicyText: typeof policy === 'string' ? policy : JSON.stringify(policy), PolicyType: 'Expiration', PolicyStatus: 'Pending' }));
}

/** A `ParameterMetadata` (DescribeParameters): no value. */
export function metadataView(scope: Scope, row: VersionRow): Record<string, unknown> {
  const view: Record<string, unknown> = {
    Name: row.name,
    ARN: parameterArn(scope.region, scope.accountId, row.name),
    Type: row.type,
    LastModifiedDate: seconds(row.modified_at),
    LastModifiedUser: row.modified_by,
    Version: Number(row.version),
    Tier: row.tier,
    Policies: policies(row),
    DataType: row.data_type,
  };
  if (row.key_id) view.KeyId = row.key_id;
  if (row.description) view.Description = row.description;
  if (row.allowed_pattern) view.AllowedPattern = row.allowed_pattern;
  return view;
}

/** A `ParameterHistory` entry. */
export function historyView(row: VersionRow): Record<string, unknown> {
  const view: Record<string, unknown> = {
    Name: row.name,
    Type: row.type,
    LastModifiedDate: seconds(row.modified_at),
    LastModifiedUser: row.modified_by,
    Value: row.value,
    Version: Number(row.version),
    Labels: JSON.parse(row.labels) as string[],
    Tier: row.tier,
    Policies: policies(row),
    DataType: row.data_type,
  };
  if (row.key_id) view.KeyId = row.key_id;
  if (row.description) view.Description = row.description;
  if (row.allowed_pattern) view.AllowedPattern = row.allowed_pattern;
  return view;
}
