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
    revisionId: executionFingerprint(row),
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

const fingerprints = new WeakMap<VersionRow, string>();

/**
 * What decides how an environment runs: when it changes, warm environments are retired. Not the
 * RevisionId, which also changes with permissions, tags and other settings that leave running
 * environments valid (AddPermission must not kill an invocation in flight).
 */
function executionFingerprint(row: VersionRow): string {
  let fingerprint = fingerprints.get(row);
  if (fingerprint === undefined) {
    const c = row.config;
    fingerprint = JSON.stringify([
      row.codeHex, c.Runtime, c.Handler, c.MemorySize, c.Timeout, c.Environment?.Variables ?? {}, c.Layers?.map((l) => l.Arn) ?? [],
      c.EphemeralStorage?.Size, c.LoggingConfig ?? null, c.TracingConfig ?? null, c.Role, c.Architectures ?? null, c.SnapStart ?? null,
    ]);
    fingerprints.set(row, fingerprint);
  }
  return fingerprint;
}
