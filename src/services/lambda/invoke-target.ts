import type { InvokeTarget } from '../../engine/invoke.js';
import { functionArn } from './arns.js';
import { errors } from './errors.js';
import type { Scope } from './model.js';
import type { VersionRow } from './tables/functions-table.js';

/** What the engine needs to run one stored version; `qualifier` is how the caller named it. */
export function invokeTargetOf(scope: Scope, name: string, qualifier: string | null, version: string, row: VersionRow): InvokeTarget {
  const { config } = row;
  if (!row.codeHex) throw errors.internal();
  return {
    accountId: scope.accountId,
    region: scope.region,
    functionName: name,
    version,
    invokedFunctionArn: functionArn(scope.region, scope.accountId, name, qualifier ?? undefined),
    revisionId: config.RevisionId,
    runtime: config.Runtime,
    handler: config.Handler ?? '',
    memoryMb: config.MemorySize,
    timeoutSeconds: config.Timeout,
    variables: config.Environment?.Variables ?? {},
    logGroupName: config.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
    codeHex: row.codeHex,
    layers: config.Layers?.map((layer) => layer.Arn),
    ephemeralStorageMb: config.EphemeralStorage?.Size,
  };
}
