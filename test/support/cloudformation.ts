import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** A CloudFormation client for a test server, with the well-known local keys. */
export function cloudFormationClient(url: string, region = 'us-east-1'): CloudFormationClient {
  return new CloudFormationClient({ endpoint: url, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/**
 * Polls until the stack reaches `status` (the SDK's rollback waiter is for update rollbacks; a
 * create that rolls back ends in ROLLBACK_COMPLETE, which CreateComplete's waiter reports as failure).
 */
export async function waitForStatus(cfn: CloudFormationClient, stackName: string, status: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    last = Stacks?.[0]?.StackStatus ?? '';
    if (last === status) return;
    if (!last.endsWith('IN_PROGRESS')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`stack ${stackName} is ${last}, not ${status}`);
}
