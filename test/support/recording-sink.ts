import type { DeliveryMessage, DeliverySink } from '../../src/contracts/delivery-sinks.js';

/**
 * A delivery sink for a made-up ARN service (`arn:aws:recorder:…`), registered by tests to see
 * what EventBridge delivers without depending on the SQS/SNS services. `failures` makes the next
 * deliveries reject, to exercise retries and dead-lettering.
 */
export class RecordingSink implements DeliverySink {
  readonly service = 'recorder';
  readonly received: Array<{ arn: string; message: DeliveryMessage }> = [];
  private waiters: Array<() => void> = [];
  failuresLeft = 0;
  failArns = new Set<string>();

  async exists(): Promise<boolean> {
    return true;
  }

  async deliver(arn: string, message: DeliveryMessage): Promise<void> {
    if (this.failArns.has(arn) || this.failuresLeft > 0) {
      if (!this.failArns.has(arn)) this.failuresLeft--;
      throw new Error(`recorder refused delivery to ${arn}`);
    }
    this.received.push({ arn, message });
    for (const wake of this.waiters.splice(0)) wake();
  }

  for(arn: string): DeliveryMessage[] {
    return this.received.filter((r) => r.arn === arn).map((r) => r.message);
  }

  /** Resolves once `count` messages reached `arn`, or rejects after `timeoutMs` of real time. */
  async waitFor(arn: string, count = 1, timeoutMs = 5_000): Promise<DeliveryMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.for(arn).length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} deliveries to ${arn} (got ${this.for(arn).length})`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50).unref();
      });
    }
    return this.for(arn);
  }
}

export const recorderArn = (name: string) => `arn:aws:recorder:us-east-1:000000000000:${name}`;
