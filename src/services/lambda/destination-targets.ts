/**
 * Which services Lambkin can deliver to. A destination on a service Lambkin does not run yet would
 * be accepted and then silently dropped, so configuration operations refuse it instead. Turn a
 * service on here once its delivery path exists.
 */
const RUNNING_DESTINATION_SERVICES: ReadonlySet<string> = new Set(['lambda']);

/** The service part of an ARN (`arn:aws:sqs:…` → `sqs`), or null when it is not an ARN. */
export function arnService(arn: string): string | null {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && parts[2] ? parts[2] : null;
}

export function isSupportedDestination(arn: string): boolean {
  const service = arnService(arn);
  return service !== null && RUNNING_DESTINATION_SERVICES.has(service);
}
