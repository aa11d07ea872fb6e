import { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext } from '../../contracts/request-context.js';

/**
 * Asks the caller's policies about a DynamoDB or DynamoDB Streams request: `dynamodb:<operation>`
 * on every table (or stream) it names, as AWS checks each table of a batch or transaction.
 */
export function authorizeDynamodb(ctx: RequestContext, operation: string, input: Record<string, unknown>): void {
  const authorize = ctx.authorize;
  if (!authorize) return;
  const resources = dynamodbResources(ctx, input);
  if (resources.length === 0) return authorize(`dynamodb:${operation}`, '*');
  for (const resource of resources) authorize(`dynamodb:${operation}`, resource);
}

/** AWS answers a denied DynamoDB caller `AccessDeniedException` (400). */
export function dynamodbAccessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', 400, message, { messageKey: 'message', type: null });
}

function dynamodbResources(ctx: RequestContext, input: Record<string, unknown>): string[] {
  const table = (name: unknown) => (typeof name === 'string' ? (name.startsWith('arn:') ? name : `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`) : undefined);
  const out: string[] = [];
  for (const key of ['StreamArn', 'ResourceArn']) if (typeof input[key] === 'string') out.push(input[key] as string);
  const direct = table(input.TableName);
  if (direct) out.push(direct);
  if (typeof input.RequestItems === 'object' && input.RequestItems !== null) for (const name of Object.keys(input.RequestItems)) out.push(table(name)!);
  if (Array.isArray(input.TransactItems)) {
    for (const item of input.TransactItems as Array<Record<string, { TableName?: unknown }>>) {
      for (const action of Object.values(item ?? {})) {
        const arn = table(action?.TableName);
        if (arn) out.push(arn);
      }
    }
  }
  return [...new Set(out)];
}
