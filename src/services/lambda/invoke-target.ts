import type { InvokeTarget } from '../../engine/invoke.js';
import type { JsonLogging } from '../../engine/json-log-lines.js';
import { functionArn } from './arns.js';
import { errors } from './errors.js';
import { decodeFolderCode } from '../../contracts/folder-code.js';
import { decodeImageCode, imageConfigOf, imageRunOf } from './image-code.js';
import type { FunctionConfiguration, Scope } from './model.js';
import type { VersionRow } from './tables/functions-table.js';

/** What the engine needs to run one stored version; `qualifier` is how the caller named it. */
export function invokeTargetOf(scope: Scope, name: string, qualifier: string | null, version: string, row: VersionRow): InvokeTarget {
  const { config } = row;
  if (!row.codeHex) throw errors.internal();
  const running = runningCode(row.codeHex, row.config);
  const image = decodeImageCode(running.codeHex);
  const imageRun = image ? imageRunOf(image, imageConfigOf(config)) : null;
  const folder = decodeFolderCode(running.codeHex);
  return {
    accountId: scope.accountId,
    region: scope.region,
    functionName: name,
    version,
    invokedFunctionArn: functionArn(scope.region, scope.accountId, name, qualifier ?? undefined),
    revisionId: running.fingerprint,
    runtime: config.Runtime,
    handler: imageRun ? imageRun.handler : (config.Handler ?? ''),
    memoryMb: config.MemorySize,
    architecture: config.Architectures?.[0],
    timeoutSeconds: config.Timeout,
    variables: config.Environment?.Variables ?? {},
    logGroupName: config.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
    logging: jsonLogging(config.LoggingConfig),
    codeHex: running.codeHex,
    ...(folder ? { codeFolder: folder } : {}),
    layers: config.Layers?.map((layer) => layer.Arn),
    ephemeralStorageMb: config.EphemeralStorage?.Size,
    role: config.Role,
    ...(imageRun ? { image: imageRun.run } : {}),
  };
}

/** Text (the default) needs nothing: its environments stay exactly as they always were. */
function jsonLogging(config: FunctionConfiguration['LoggingConfig'] | undefined): JsonLogging | undefined {
  if (config?.LogFormat !== 'JSON') return undefined;
  return { applicationLogLevel: config.ApplicationLogLevel ?? 'INFO', systemLogLevel: config.SystemLogLevel ?? 'INFO' };
}

/**
 * What decides whether warm environments still match the function: its code and the time of its
 * last code or configuration update, after which AWS starts fresh environments. Not the
 * RevisionId, which AddPermission and RemovePermission also change while the running
 * environments stay valid (a permission added mid-invoke must not kill the invocation).
 */
function executionFingerprint(codeHex: string, lastModified: string | undefined): string {
  return `${codeHex}|${lastModified}`;
}

/**
 * The code an invoke runs: the stored code, but while an image update is InProgress the image it
 * replaces, as AWS goes on running the previous image (in its warm environments) until the update
 * settles; only then do invokes move to the new one.
 */
function runningCode(codeHex: string, config: FunctionConfiguration): { codeHex: string; fingerprint: string } {
  const image = config.LastUpdateStatus === 'InProgress' ? decodeImageCode(codeHex) : null;
  if (image?.previous !== undefined) return { codeHex: image.previous, fingerprint: executionFingerprint(image.previous, image.previousModified) };
  return { codeHex, fingerprint: executionFingerprint(codeHex, config.LastModified) };
}
