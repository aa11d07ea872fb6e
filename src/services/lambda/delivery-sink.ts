import type { DeliveryMessage, DeliverySink } from '../../contracts/delivery-sinks.js';
import type { LambdaAsyncInvoker } from './async-invoker.js';
import { functionRefOfArn, type FunctionInvoker } from './function-invoker.js';

/**
 * Delivers to a function by invoking it asynchronously with the message body as its event
 * (destinations and, through other services, notifications). Lambda invokes destination functions
 * with the source function's role, so no resource-policy check applies.
 */
export class LambdaDeliverySink implements DeliverySink {
  readonly service = 'lambda';

  constructor(
    private readonly functionInvoker: FunctionInvoker,
    private readonly invoker: LambdaAsyncInvoker,
  ) {}

  async exists(arn: string): Promise<boolean> {
    const target = targetOf(arn);
    return target !== null && (await this.functionInvoker.exists(target));
  }

  async deliver(arn: string, message: DeliveryMessage): Promise<void> {
    const target = targetOf(arn);
    if (!target) throw new Error(`not a function ARN: ${arn}`);
    await this.invoker.enqueue({ ...target.scope, functionName: target.name, qualifier: target.qualifier ?? undefined, payload: Buffer.from(message.body) });
  }
}

/** A full function ARN only: a destination or target names its function so. */
function targetOf(arn: string) {
  return arn.startsWith('arn:') ? functionRefOfArn(arn) : null;
}
