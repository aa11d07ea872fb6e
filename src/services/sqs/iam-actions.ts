/** Batch operations are authorized as their single forms, as AWS documents. */
const ACTION_OF: Record<string, string> = {
  SendMessageBatch: 'sqs:SendMessage',
  DeleteMessageBatch: 'sqs:DeleteMessage',
  ChangeMessageVisibilityBatch: 'sqs:ChangeMessageVisibility',
};

export function sqsAction(operation: string): string {
  return ACTION_OF[operation] ?? `sqs:${operation}`;
}

/** The queue a request names (by URL, name or ARN) as its ARN; `*` for account-wide operations. */
export function sqsResource(scope: { region: string; accountId: string }, input: Record<string, unknown>): string {
  const url = typeof input.QueueUrl === 'string' ? input.QueueUrl : undefined;
  if (url !== undefined) {
    const m = /\/(\d{12})\/([^/?]+)\/?(?:\?.*)?$/.exec(url);
    if (m) return `arn:aws:sqs:${scope.region}:${m[1]}:${m[2]}`;
  }
  if (typeof input.QueueName === 'string') {
    const owner = typeof input.QueueOwnerAWSAccountId === 'string' ? input.QueueOwnerAWSAccountId : scope.accountId;
    return `arn:aws:sqs:${scope.region}:${owner}:${input.QueueName}`;
  }
  if (typeof input.SourceArn === 'string') return input.SourceArn;
  if (typeof input.TaskHandle === 'string') return '*';
  return '*';
}
