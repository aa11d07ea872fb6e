import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../contracts/request-context.js';
import type { SnsDeps } from './deps.js';
import { snsErrors } from './errors.js';
import { messageFor } from './notification.js';
import { preparePublish, type PublishInput } from './publishing.js';

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * Publish with `PhoneNumber`: the text message AWS would send, recorded in the outbox before
 * Publish answers. AWS reads a number given without its `+` as if it had one, and names it so
 * when it refuses it.
 */
export async function publishToPhone(deps: SnsDeps, ctx: RequestContext, phoneNumber: string, input: PublishInput): Promise<{ messageId: string }> {
  const normalized = /^\d/.test(phoneNumber) ? `+${phoneNumber}` : phoneNumber;
  if (!E164.test(normalized)) throw snsErrors.invalidPhoneNumber(normalized);
  const prepared = preparePublish(undefined, input);
  const messageId = randomUUID();
  await deps.outbox.record(
    [
      {
        accountId: ctx.accountId,
        region: ctx.region,
        topicArn: null,
        subscriptionArn: null,
        protocol: 'sms',
        endpoint: normalized,
        messageId,
        subject: null,
        body: messageFor({ message: prepared.message, perProtocol: prepared.perProtocol }, 'sms'),
        kind: 'Notification',
      },
    ],
    deps.clock.now(),
  );
  return { messageId };
}
