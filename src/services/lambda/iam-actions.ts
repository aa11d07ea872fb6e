import { parseFunctionName } from './arns.js';

/** Operations whose IAM action is not `lambda:<operation>` (AWS's service authorization reference). */
const ACTION_OF: Record<string, string> = {
  Invoke: 'lambda:InvokeFunction',
  InvokeAsync: 'lambda:InvokeFunction',
  InvokeWithResponseStream: 'lambda:InvokeFunction',
};

export function lambdaAction(operation: string): string {
  return ACTION_OF[operation] ?? `lambda:${operation}`;
}

/** The resource a request acts on, as IAM names it: the function, layer, mapping or `*`. */
export function lambdaResource(scope: { region: string; accountId: string }, params: Record<string, string>): string {
  const fn = params.FunctionName ?? functionOfArn(params.ARN ?? params.Resource);
  if (fn !== undefined) {
    const parts = parseFunctionName(fn);
    if (!parts) return fn;
    const qualifier = parts.qualifier ? `:${parts.qualifier}` : '';
    return `arn:aws:lambda:${parts.region ?? scope.region}:${parts.accountId ?? scope.accountId}:function:${parts.name}${qualifier}`;
  }
  if (params.LayerName !== undefined) {
    if (params.LayerName.startsWith('arn:')) return params.VersionNumber ? `${params.LayerName}:${params.VersionNumber}` : params.LayerName;
    const base = `arn:aws:lambda:${scope.region}:${scope.accountId}:layer:${params.LayerName}`;
    return params.VersionNumber ? `${base}:${params.VersionNumber}` : base;
  }
  if (params.UUID !== undefined) return `arn:aws:lambda:${scope.region}:${scope.accountId}:event-source-mapping:${params.UUID}`;
  return '*';
}

function functionOfArn(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const decoded = decodeURIComponent(arn);
  return decoded.includes(':function:') ? decoded : undefined;
}
