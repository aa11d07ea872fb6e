import { randomUUID } from 'node:crypto';
import { functionArn } from './arns.js';
import type { LambdaDeps } from './deps.js';
import { errors } from './errors.js';
import { lambdaTimestamp, type FunctionConfiguration, type Scope } from './model.js';

const VOLATILE = new Set([
  'FunctionArn', 'Version', 'RevisionId', 'LastModified', 'Description', 'State', 'StateReason', 'StateReasonCode',
  'LastUpdateStatus', 'LastUpdateStatusReason', 'LastUpdateStatusReasonCode',
]);

export interface PublishOptions {
  codeSha256?: string;
  revisionId?: string;
  description?: string;
}

/**
 * Snapshots `$LATEST` as the next numbered version. When neither code nor configuration changed
 * since the newest version, AWS hands that version back instead of creating one.
 * The caller holds the function's lock.
 */
export async function publishVersion(deps: LambdaDeps, scope: Scope, name: string, options: PublishOptions): Promise<FunctionConfiguration> {
  const fn = await deps.functions.getFunction(scope, name);
  const latest = await deps.functions.getVersion(scope, name, '$LATEST');
  if (!fn || !latest) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, name));
  if (options.codeSha256 !== undefined && options.codeSha256 !== latest.config.CodeSha256) {
    throw errors.codeShaMismatch(options.codeSha256, latest.config.CodeSha256);
  }
  if (options.revisionId !== undefined && options.revisionId !== latest.config.RevisionId) {
    throw errors.revisionMismatch('GetFunction/GetAlias');
  }
  if (fn.lastVersion > 0) {
    const newest = await deps.functions.getVersion(scope, name, String(fn.lastVersion));
    if (newest && sameContent(newest.config, latest.config)) return newest.config;
  }
  const version = String(fn.lastVersion + 1);
  const now = deps.clock.now();
  const config: FunctionConfiguration = {
    ...latest.config,
    FunctionArn: functionArn(scope.region, scope.accountId, name, version),
    Version: version,
    Description: options.description ?? latest.config.Description,
    LastModified: lambdaTimestamp(now),
    RevisionId: randomUUID(),
  };
  // A version inherits $LATEST's progress: Active when published from an Active function (as AWS
  // answers), Pending or InProgress while $LATEST still is, settled by the provisioner.
  if (config.State === 'Active' && config.LastUpdateStatus !== 'InProgress') {
    config.LastUpdateStatus = 'Successful';
  } else if (config.State === 'Pending') {
    delete config.LastUpdateStatus;
    delete config.LastUpdateStatusReason;
    delete config.LastUpdateStatusReasonCode;
  }
  await deps.functions.putVersion(scope, name, version, config, latest.codeHex, now);
  await deps.functions.updateFunction(scope, name, { lastVersion: fn.lastVersion + 1 });
  if (config.State === 'Pending' || config.LastUpdateStatus === 'InProgress') deps.provisioner.schedule(scope, name, version);
  return config;
}

function sameContent(a: FunctionConfiguration, b: FunctionConfiguration): boolean {
  const strip = (c: FunctionConfiguration) =>
    JSON.stringify(Object.fromEntries(Object.entries(c).filter(([k]) => !VOLATILE.has(k)).sort(([x], [y]) => x.localeCompare(y))));
  return strip(a) === strip(b);
}
