import type { DeliverySinks } from '../../contracts/delivery-sinks.js';

/**
 * Which services Lambkin can deliver to. A destination on a service Lambkin does not run would
 * be accepted and then silently dropped, so configuration operations refuse it instead. Where a
 * `DeliverySinks` registry is wired, a service is supported exactly when its sink is registered;
 * without one (control plane only) nothing but Lambda is.
 */
const RUNNING_DESTINATION_SERVICES: ReadonlySet<string> = new Set(['lambda']);

/** The service part of an ARN (`arn:aws:sqs:…` → `sqs`), or null when it is not an ARN. */
export function arnService(arn: string): string | null {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && parts[2] ? parts[2] : null;
}

export function isSupportedDestination(arn: string, sinks?: DeliverySinks): boolean {
  const service = arnService(arn);
  if (service === null) return false;
  return sinks ? sinks.get(service) !== undefined : RUNNING_DESTINATION_SERVICES.has(service);
}

/** AWS's dead-letter targets: an SQS queue or an SNS topic. */
const DEAD_LETTER_SERVICES: readonly string[] = ['sqs', 'sns'];

export function isSupportedDeadLetterTarget(arn: string, sinks?: DeliverySinks): boolean {
  const service = arnService(arn);
  return service !== null && DEAD_LETTER_SERVICES.includes(service) && sinks?.get(service) !== undefined;
}
