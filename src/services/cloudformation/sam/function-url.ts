import { InvalidResourceError } from './errors.js';
import { compact, isIntrinsic, isObject, ref, type JsonObject } from './template-model.js';
import type { FunctionCore } from './function.js';
import type { ExpansionScope } from './expansion-scope.js';
import type { PublishedAlias } from './version-alias.js';

const CORS_TYPES: Readonly<Record<string, 'list' | 'bool' | 'int'>> = {
  AllowOrigins: 'list', AllowMethods: 'list', AllowCredentials: 'bool', AllowHeaders: 'list', ExposeHeaders: 'list', MaxAge: 'int',
};

function checkCors(logicalId: string, cors: unknown): void {
  if (!cors || isIntrinsic(cors)) return;
  if (!isObject(cors)) throw new InvalidResourceError(logicalId, "Property 'FunctionUrlConfig.Cors' should be a map.");
  for (const [name, value] of Object.entries(cors)) {
    const type = CORS_TYPES[name];
    if (!type) throw new InvalidResourceError(logicalId, `${name} is not a valid property for configuring Cors.`);
    if (isIntrinsic(value)) continue;
    const ok = type === 'list' ? Array.isArray(value) : type === 'bool' ? typeof value === 'boolean' : Number.isInteger(value);
    if (!ok) throw new InvalidResourceError(logicalId, `${name} must be of type ${type}.`);
  }
}

/**
 * FunctionUrlConfig → `<Id>Url` (on the alias when there is one) and, for AuthType NONE, the two
 * public permissions AWS now requires: InvokeFunctionUrl and InvokeFunction via the URL.
 */
export function expandFunctionUrl(scope: ExpansionScope, core: FunctionCore, alias: PublishedAlias | undefined): void {
  const config = core.properties.FunctionUrlConfig;
  if (!config) return;
  const { logicalId } = core;
  const intrinsicConfig = isIntrinsic(config);
  const settings = (isObject(config) ? config : {}) as JsonObject;
  if (!intrinsicConfig && !isIntrinsic(settings.AuthType) && settings.AuthType !== 'AWS_IAM' && settings.AuthType !== 'NONE') {
    throw new InvalidResourceError(logicalId, 'AuthType is required to configure function property `FunctionUrlConfig`. Please provide either AWS_IAM or NONE.');
  }
  if (!intrinsicConfig) checkCors(logicalId, settings.Cors);
  const target = alias ? ref(alias.logicalId) : ref(logicalId);
  scope.add(logicalId, `${logicalId}Url`, {
    Type: 'AWS::Lambda::Url',
    Properties: compact({ AuthType: settings.AuthType, Cors: settings.Cors || undefined, InvokeMode: settings.InvokeMode, TargetFunctionArn: target }),
    ...core.inherited,
  });
  if (settings.AuthType !== 'NONE' || intrinsicConfig) return;
  scope.add(logicalId, `${logicalId}UrlPublicPermissions`, {
    Type: 'AWS::Lambda::Permission',
    Properties: { Action: 'lambda:InvokeFunctionUrl', FunctionName: target, FunctionUrlAuthType: 'NONE', Principal: '*' },
    ...core.inherited,
  });
  scope.add(logicalId, `${logicalId}URLInvokeAllowPublicAccess`, {
    Type: 'AWS::Lambda::Permission',
    Properties: { Action: 'lambda:InvokeFunction', FunctionName: target, InvokedViaFunctionUrl: true, Principal: '*' },
    ...core.inherited,
  });
}
