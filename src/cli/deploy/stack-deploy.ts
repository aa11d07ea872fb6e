import type { CloudFormationClient, StackEvent } from '@aws-sdk/client-cloudformation';

export interface StackDeployInput {
  stackName: string;
  templateBody?: string;
  templateUrl?: string;
  parameters: Record<string, string>;
  /** One line per stack event, as `sam deploy` prints them. */
  progress: (line: string) => void;
  pollMs?: number;
}

/** Raised when the endpoint has no CloudFormation API to deploy through. */
export class CloudFormationUnavailable extends Error {}

const TERMINAL = /(_COMPLETE|_FAILED)$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isMissingStack(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e.name === 'ValidationError' && /does not exist/.test(e.message ?? '');
}

/**
 * The API is absent when the endpoint does not know the service or the operation at all; an
 * endpoint without CloudFormation answers in a format that is not CloudFormation's XML, which the
 * SDK reports as a deserialization error.
 */
function isMissingApi(error: unknown): boolean {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.$metadata?.httpStatusCode === 404 ||
    /Deserialization error|XML parse error/i.test(e.message ?? '') ||
    /UnknownOperation|UnrecognizedClient|InvalidAction|UnknownService|NotImplemented/i.test(e.name ?? '') ||
    /no service|unknown service|not (yet )?(implemented|supported)/i.test(e.message ?? '')
  );
}

function eventLine(event: StackEvent): string {
  const reason = event.ResourceStatusReason ? `  ${event.ResourceStatusReason}` : '';
  return `${(event.ResourceStatus ?? '').padEnd(28)} ${(event.ResourceType ?? '').padEnd(34)} ${event.LogicalResourceId ?? ''}${reason}`;
}

/**
 * Creates or updates a stack through a change set, as `sam deploy` and `aws cloudformation deploy`
 * do: create the change set (CREATE for a new stack), wait for it, execute it, then print the
 * stack's events until it settles. Returns the final stack status and its outputs.
 */
export async function deployStack(cfn: CloudFormationClient, input: StackDeployInput): Promise<{ status: string; outputs: Array<{ key: string; value: string }>; changed: boolean }> {
  const sdk = await import('@aws-sdk/client-cloudformation');
  const pollMs = input.pollMs ?? 1000;
  let exists = false;
  try {
    const described = await cfn.send(new sdk.DescribeStacksCommand({ StackName: input.stackName }));
    const status = described.Stacks?.[0]?.StackStatus;
    exists = status !== undefined && status !== 'REVIEW_IN_PROGRESS';
  } catch (error) {
    if (isMissingApi(error)) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      const firstLine = (e.message || e.name).split('\n')[0]!.trim();
      throw new CloudFormationUnavailable(`DescribeStacks answered HTTP ${e.$metadata?.httpStatusCode ?? '?'}: ${firstLine}`);
    }
    if (!isMissingStack(error)) throw error;
  }
  const changeSetName = `lambkin-deploy-${Date.now()}`;
  const startedAt = new Date();
  await cfn.send(
    new sdk.CreateChangeSetCommand({
      StackName: input.stackName,
      ChangeSetName: changeSetName,
      ChangeSetType: exists ? 'UPDATE' : 'CREATE',
      TemplateBody: input.templateBody,
      TemplateURL: input.templateUrl,
      Parameters: Object.entries(input.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    }),
  );
  for (;;) {
    const changeSet = await cfn.send(new sdk.DescribeChangeSetCommand({ StackName: input.stackName, ChangeSetName: changeSetName }));
    if (changeSet.Status === 'CREATE_COMPLETE') break;
    if (changeSet.Status === 'FAILED') {
      const reason = changeSet.StatusReason ?? '';
      if (/didn't contain changes|No updates are to be performed/i.test(reason)) {
        await cfn.send(new sdk.DeleteChangeSetCommand({ StackName: input.stackName, ChangeSetName: changeSetName })).catch(() => undefined);
        return { status: 'NO_CHANGES', outputs: [], changed: false };
      }
      throw new Error(`the change set failed: ${reason}`);
    }
    await sleep(pollMs);
  }
  await cfn.send(new sdk.ExecuteChangeSetCommand({ StackName: input.stackName, ChangeSetName: changeSetName }));

  const seen = new Set<string>();
  for (;;) {
    const events: StackEvent[] = [];
    let token: string | undefined;
    do {
      const page = await cfn.send(new sdk.DescribeStackEventsCommand({ StackName: input.stackName, NextToken: token }));
      events.push(...(page.StackEvents ?? []));
      token = page.NextToken;
      // Events come newest first; older pages hold nothing new.
      if (events.some((event) => event.Timestamp && event.Timestamp < startedAt)) break;
    } while (token);
    for (const event of events.filter((e) => !seen.has(e.EventId ?? '') && (!e.Timestamp || e.Timestamp >= startedAt)).reverse()) {
      seen.add(event.EventId ?? '');
      input.progress(eventLine(event));
    }
    const stack = (await cfn.send(new sdk.DescribeStacksCommand({ StackName: input.stackName }))).Stacks?.[0];
    const status = stack?.StackStatus ?? 'UNKNOWN';
    if (TERMINAL.test(status) && !status.endsWith('_IN_PROGRESS')) {
      const outputs = (stack?.Outputs ?? []).map((output) => ({ key: output.OutputKey ?? '', value: output.OutputValue ?? '' }));
      return { status, outputs, changed: true };
    }
    await sleep(pollMs);
  }
}
