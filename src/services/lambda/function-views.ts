import { functionArn } from './arns.js';
import type { FunctionConfiguration, Scope } from './model.js';

const LIST_OMITTED = [
  'State', 'StateReason', 'StateReasonCode', 'LastUpdateStatus', 'LastUpdateStatusReason',
  'LastUpdateStatusReasonCode', 'RuntimeVersionConfig',
] as const;

/** The configuration as a list entry shows it: AWS leaves out state and runtime-version members. */
export function listEntry(config: FunctionConfiguration, qualifyLatest: boolean): FunctionConfiguration {
  const out: FunctionConfiguration = { ...config };
  for (const key of LIST_OMITTED) delete out[key];
  if (qualifyLatest && config.Version === '$LATEST') out.FunctionArn = `${config.FunctionArn}:$LATEST`;
  return out;
}

/** `$LATEST` is stored with the unqualified ARN; asked for by qualifier, it shows the qualified one. */
export function withQualifiedArn(config: FunctionConfiguration, scope: Scope, qualifier: string | null): FunctionConfiguration {
  if (!qualifier) return config;
  return { ...config, FunctionArn: functionArn(scope.region, scope.accountId, config.FunctionName, qualifier) };
}
