import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { CreateStackCommand, DescribeStackEventsCommand, DescribeStackResourcesCommand, ListStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { freePort, startChild } from './support/child-server.js';
import { cloudFormationClient, waitForStatus } from './support/cloudformation.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * Waits until the stack `stackName()` names is creating its `Table` (up to 5 s), gives it 200 ms
 * more, then kills the server with SIGKILL and lets the create request fail with it.
 */
async function killWhileTableCreates(child: ChildProcess, stackName: () => Promise<string | undefined>, cfn: CloudFormationClient, pending: Promise<unknown>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const name = await stackName().catch(() => undefined);
    const r = name && (await cfn.send(new DescribeStackResourcesCommand({ StackName: name })).catch(() => undefined));
    if (r && r.StackResources?.some((x) => x.LogicalResourceId === 'Table' && x.ResourceStatus === 'CREATE_IN_PROGRESS')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  await pending;
}

/** Neither the queue nor the table the stack made is left. */
async function assertGone(url: string, queueName: string, tableName: string): Promise<void> {
  await assert.rejects(new SQSClient({ endpoint: url, region: 'us-east-1', credentials }).send(new GetQueueUrlCommand({ QueueName: queueName })), /NonExistent|does not exist/);
  await assert.rejects(new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials }).send(new DescribeTableCommand({ TableName: tableName })), /ResourceNotFound|not found/);
}

describe('CloudFormation survives kill -9', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-cfn-kill-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('a create interrupted by kill -9 is rolled back at the next start: nothing it made is left', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // Tables take 1.5 s to become ACTIVE, so the kill lands while the stack waits for one.
    const env = { LAMBKIN_PROVISIONING_DELAY_MS: '1500' };
    let child = await startChild(dataDir, port, env);
    const cfn = cloudFormationClient(url);
    const template = {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'kill-queue' } },
        Table: {
          Type: 'AWS::DynamoDB::Table',
          DependsOn: 'Queue',
          Properties: { TableName: 'kill-table', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
        },
      },
    };
    const pending = cfn.send(new CreateStackCommand({ StackName: 'killed', TemplateBody: JSON.stringify(template) })).catch(() => undefined);
    try {
      await killWhileTableCreates(child, async () => 'killed', cfn, pending);

      child = await startChild(dataDir, port, env);
      await waitForStatus(cfn, 'killed', 'ROLLBACK_COMPLETE', 30_000);
      const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'killed' }))).StackEvents!;
      assert.equal(events.find((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')?.ResourceStatusReason, 'Lambkin stopped while the operation ran. Rollback requested by user.');
      assert.ok(events.some((e) => e.LogicalResourceId === 'Table' && e.ResourceStatus === 'DELETE_COMPLETE'));
      await assertGone(url, 'kill-queue', 'kill-table');
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a nested stack interrupted by kill -9 is rolled back with its parent: neither leaves anything', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { LAMBKIN_PROVISIONING_DELAY_MS: '1500' };
    let child = await startChild(dataDir, port, env);
    const cfn = cloudFormationClient(url);
    const nested = {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'nested-kill-queue' } },
        Table: {
          Type: 'AWS::DynamoDB::Table',
          DependsOn: 'Queue',
          Properties: { TableName: 'nested-kill-table', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
        },
      },
    };
    const s3 = new S3Client({ endpoint: url, region: 'us-east-1', credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'kill-templates' }));
    await s3.send(new PutObjectCommand({ Bucket: 'kill-templates', Key: 'nested.json', Body: JSON.stringify(nested) }));
    const template = { Resources: { Inner: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: `${url}/kill-templates/nested.json` } } } };
    const pending = cfn.send(new CreateStackCommand({ StackName: 'outer', TemplateBody: JSON.stringify(template) })).catch(() => undefined);
    const innerName = async () => ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).find((x) => x.StackName?.startsWith('outer-Inner-'));
    try {
      await killWhileTableCreates(child, async () => (await innerName())?.StackId, cfn, pending);

      child = await startChild(dataDir, port, env);
      await waitForStatus(cfn, 'outer', 'ROLLBACK_COMPLETE', 30_000);
      const inner = await innerName();
      assert.equal(inner?.StackStatus, 'DELETE_COMPLETE');
      await assertGone(url, 'nested-kill-queue', 'nested-kill-table');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
