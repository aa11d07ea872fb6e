import { TransitionNotAllowed } from '../../lifecycle.js';

/**
 * A subscription's lifecycle. SQS and Lambda subscriptions in the owner's account are confirmed at
 * once; HTTP(S) ones wait for the endpoint to confirm with the token SNS posted to it, email and
 * email-json ones for the link in the confirmation email (kept in the outbox). Unsubscribe
 * removes the row (AWS then counts it under `SubscriptionsDeleted` briefly; we do not).
 */
export type SubscriptionStatus = 'PendingConfirmation' | 'Confirmed';
export type SubscriptionEvent = 'confirm' | 'resubscribe';

const TRANSITIONS: Record<SubscriptionStatus, Partial<Record<SubscriptionEvent, SubscriptionStatus>>> = {
  PendingConfirmation: { confirm: 'Confirmed', resubscribe: 'PendingConfirmation' },
  Confirmed: { confirm: 'Confirmed', resubscribe: 'Confirmed' },
};

export function transitionSubscription(state: SubscriptionStatus, event: SubscriptionEvent): SubscriptionStatus {
  const next = TRANSITIONS[state]?.[event];
  if (!next) throw new TransitionNotAllowed('subscription', state, event);
  return next;
}

/** Protocols confirmed on Subscribe without a handshake (same-account AWS endpoints). */
export function confirmedOnSubscribe(protocol: string): boolean {
  return protocol === 'sqs' || protocol === 'lambda' || protocol === 'firehose' || protocol === 'application' || protocol === 'sms';
}
