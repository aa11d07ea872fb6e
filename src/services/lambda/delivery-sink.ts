import type { DeliveryMessage, DeliverySink } from '../../contracts/delivery-sinks.js';
import type { LambdaAsyncInvoker } from './async-invoker.js';
import { parseFunctionName } from './arns.js';
import type { FunctionsTable } from './tables/functions-table.js';

/**
 * Delivers to a function by invoking it asynchronously with the message body as its event
 * (destinations and, through other services, notifications). Lambda invokes destination functions
 * with the source function's role, so no resource-policy check applies.
 */
export class LambdaDeliverySink implements DeliverySink {
  readonly service = 'lambda';

  constructor(
    private readonly functions: FunctionsTable,
    private readonly invoker: LambdaAsyncInvoker,
  ) {}

  async exists(arn: string): Promise<boolean> {
    const target = targetOf(arn);
    return target !== null && (await this.functions.getFunction(target.scope, target.name)) !== undefined;
  }

  async deliver(arn: string, message: DeliveryMessage): Promise<void> {
    const target = targetOf(arn);
    if (!target) throw new Error(`not a function ARN: ${arn}`);
    await this.invoker.enqueue({ ...target.scope, functionName: target.name, qualifier: target.qualifier ?? undefined, payload: Buffer.from(message.body) });
  }
}

function targetOf(arn: string): { scope: { accountId: string; region: string }; name: string; qualifier: string | null } | null {
  const parts = arn.startsWith('arn:') ? parseFunctionName(arn) : null;
  if (!parts?.accountId || !parts.region) return null;
  return { scope: { accountId: parts.accountId, region: parts.region }, name: parts.name, qualifier: parts.qualifier };
}
