/**
 * The stream a Kinesis mapping reads. A consumer ARN (`…:stream/<name>/consumer/<c>:<ts>`, enhanced
 * fan-out) reads its stream by polling like a standard iterator: Lambkin has no HTTP/2 push.
 */
export function kinesisStreamArnOf(eventSourceArn: string): string {
  const at = eventSourceArn.indexOf('/consumer/');
  return at === -1 ? eventSourceArn : eventSourceArn.slice(0, at);
}

/** Region of an ARN, for a remote client. */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}
