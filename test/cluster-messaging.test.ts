import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import pg from 'pg';
import { ShiftableClock } from '../src/clock.js';
import { clusterListing, removeClusterNode, startClusterNode, until, type ClusterNode } from './support/cluster-nodes.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createTestDatabase, NO_POSTGRES, postgresReachable, type TestDatabase } from './support/postgres.js';

const skip = (await postgresReachable()) ? false : NO_POSTGRES;
/** Four scopes (one account's queues in four regions), each served by one node at a time. */
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-south-1'];

/** SQS through this node only (not the node a queue URL names); `maxAttempts` > 1 retries the 503 of a queue moving. */
function sqsOf(node: ClusterNode, region: string, maxAttempts = 1): SQSClient {
  return new SQSClient({ endpoint: node.url, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts, useQueueUrlAsEndpoint: false });
}

describe('cluster: SQS queues move between nodes without losing a message; SNS FIFO numbers across nodes', { skip }, () => {
  let database: TestDatabase;
  let sql: pg.Client;
  const nodes: ClusterNode[] = [];
  const ids = new Map<ClusterNode, string>();
  const urls = new Map<string, string>();

  /** Region → the node id its scope's lease row names now (a row past its time on a busy machine still names its owner). */
  async function owners(): Promise<Map<string, string>> {
    const { rows } = await sql.query<{ name: string; owner: string }>("select name, owner from cluster_leases where name like 'sqs-queues:%'");
    return new Map(rows.map((r) => [r.name.split('/')[1]!, r.owner]));
  }

  before(async () => {
    database = await createTestDatabase();
    sql = new pg.Client({ connectionString: database.url });
    nodes.push(await startClusterNode(database));
    ids.set(nodes[0]!, (await clusterListing(nodes[0]!)).node);
    await sql.connect();
  });
  after(async () => {
    for (const node of nodes) {
      node.child.kill('SIGCONT');
      await removeClusterNode(node);
    }
    await sql?.end();
    await database?.drop();
  });

  test('a node that joins takes its share of the queues from a node holding all of them; sends and receives across the move lose nothing', async () => {
    const a = nodes[0]!;
    for (const region of REGIONS) {
      const { QueueUrl } = await sqsOf(a, region).send(new CreateQueueCommand({ QueueName: 'moving', Attributes: { VisibilityTimeout: '2' } }));
      urls.set(region, QueueUrl!);
    }
    assert.deepEqual([...(await owners()).values()], REGIONS.map(() => ids.get(a)), 'the only node serves all four scopes');
    const acked = new Set<string>();
    const received = new Set<string>();
    let sending = true;
    let receiving = true;
    // One sender and one receiver per region, each going through every node in turn (no retries:
    // an unacknowledged send is not promised, a failed receive is tried again).
    const sender = async (region: string) => {
      for (let i = 0; sending; i++) {
        const body = `${region}-${i}`;
        const through = nodes[i % nodes.length]!;
        try {
          await sqsOf(through, region).send(new SendMessageCommand({ QueueUrl: urls.get(region), MessageBody: body }));
          acked.add(body);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const receiver = async (region: string) => {
      for (let i = 0; receiving; i++) {
        const client = sqsOf(nodes[i % nodes.length]!, region);
        try {
          const out = await client.send(new ReceiveMessageCommand({ QueueUrl: urls.get(region), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
          for (const m of out.Messages ?? []) {
            received.add(m.Body!);
            await client.send(new DeleteMessageCommand({ QueueUrl: urls.get(region), ReceiptHandle: m.ReceiptHandle! })).catch(() => undefined);
          }
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const senders = Promise.all(REGIONS.map(sender));
    const receivers = Promise.all(REGIONS.map(receiver));
    try {
      await until(() => acked.size >= 40, 20_000, 'sends before the second node starts');
      const b = await startClusterNode(database);
      nodes.push(b);
      ids.set(b, (await clusterListing(b)).node);
      await until(async () => [...(await owners()).values()].filter((o) => o === ids.get(b)).length === 2, 20_000, 'the new node to serve two of the four scopes');
      const byOwner = [...(await owners()).values()];
      assert.equal(byOwner.filter((o) => o === ids.get(a)).length, 2, 'the first node keeps two');
      const ackedAtMove = acked.size;
      await until(() => acked.size >= ackedAtMove + 40, 20_000, 'sends after the move');
      sending = false;
      await senders;
      await until(() => [...acked].every((body) => received.has(body)), 30_000, () => `every acknowledged send to be received (${[...acked].filter((x) => !received.has(x)).length} of ${acked.size} missing)`);
    } finally {
      sending = false;
      receiving = false;
      await Promise.all([senders, receivers]);
    }
    for (const body of received) assert.match(body, /^[a-z]+-[a-z]+-\d-\d+$/);
  });

  test("SIGSTOP the queues' node during sends, past its heartbeat expiry: after SIGCONT it neither serves its old copy nor stores sends the new node does not see", async () => {
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const region = [...(await owners())].find(([, owner]) => owner === ids.get(a))?.[0];
    assert.ok(region, 'the first node serves a scope');
    const QueueUrl = urls.get(region);
    const before = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await sqsOf(a, region).send(new SendMessageCommand({ QueueUrl, MessageBody: `before-${i}` }));
      before.add(`before-${i}`);
    }
    // Four clients sending through the owner without retries: sends under way when it stops must
    // either fail or be stored where the next owner sees them.
    const acked = new Set<string>();
    let sending = true;
    const sender = async (k: number) => {
      const client = sqsOf(a, region);
      for (let i = 0; sending; i++) {
        const body = `during-${k}-${i}`;
        try {
          await client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
          acked.add(body);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const senders = Promise.all([0, 1, 2, 3].map(sender));
    const got = new Set<string>();
    /** Receives through the new owner, deleting what was sent before the pause (the paused node's memory still holds those). */
    const receiveOnB = async () => {
      const client = sqsOf(b, region, 3);
      const out = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of out.Messages ?? []) {
        got.add(m.Body!);
        if (before.has(m.Body!)) await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    };
    try {
      await until(() => acked.size >= 20, 20_000, 'sends before the pause');
      a.child.kill('SIGSTOP');
      await until(async () => (await owners()).get(region) === ids.get(b), 20_000, "the other node to take the paused node's queues");
      await until(async () => {
        await receiveOnB();
        return [...before].every((body) => got.has(body));
      }, 20_000, 'the messages sent before the pause to be received and deleted through the new node');
      // Waits in the paused node's socket until it runs again.
      const receive = sqsOf(a, region, 8).send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const ackedAtResume = acked.size;
      a.child.kill('SIGCONT');
      const seen = (await receive).Messages ?? [];
      assert.deepEqual(seen.filter((m) => before.has(m.Body!)).map((m) => m.Body), [], 'no message deleted on the new node comes back from the paused one');
      await until(() => acked.size >= ackedAtResume + 20, 20_000, 'sends through the resumed node');
    } finally {
      a.child.kill('SIGCONT');
      sending = false;
      await senders;
    }
    await until(async () => {
      await receiveOnB();
      return [...acked].every((body) => got.has(body));
    }, 20_000, 'every acknowledged send to be received through the new node');
    const missing = [...acked].filter((body) => !got.has(body));
    assert.deepEqual(missing, []);
  });

  test('SNS FIFO: publishes to one topic alternating between two nodes whose clocks differ get rising sequence numbers; simultaneous ones distinct numbers', async () => {
    // A minute behind, in this process; the first node is a process of its own, on the real
    // clock: each numbering from its own clock and counter would go back on every switch.
    const behind = await startTestServer({ LAMBKIN_STORE: database.url }, { clock: new ShiftableClock(Date.now() - 60_000) });
    const clients = [behind.url, nodes[0]!.url].map((url) => new SNSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }));
    try {
      const { TopicArn } = await clients[0]!.send(new CreateTopicCommand({ Name: 'ordered.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
      const numbers: bigint[] = [];
      for (let i = 0; i < 10; i++) {
        const out = await clients[i % 2]!.send(new PublishCommand({ TopicArn, Message: `m-${i}`, MessageGroupId: 'g' }));
        assert.match(out.SequenceNumber ?? '', /^\d{20}$/);
        numbers.push(BigInt(out.SequenceNumber!));
      }
      for (let i = 1; i < numbers.length; i++) assert.ok(numbers[i]! > numbers[i - 1]!, `publish ${i} (node ${i % 2}) numbered ${numbers[i]} after ${numbers[i - 1]}`);
      const batches = await Promise.all([0, 1, 0, 1].map((n, k) => clients[n]!.send(new PublishBatchCommand({
        TopicArn, PublishBatchRequestEntries: Array.from({ length: 5 }, (_, i) => ({ Id: String(i), Message: `b-${k}-${i}`, MessageGroupId: 'g' })),
      }))));
      const together = batches.flatMap((batch) => (batch.Successful ?? []).map((s) => s.SequenceNumber!));
      assert.equal(together.length, 20);
      assert.equal(new Set(together).size, 20, 'no number given twice');
      assert.ok(together.every((n) => BigInt(n) > numbers[numbers.length - 1]!), 'all after the earlier publishes');
    } finally {
      for (const client of clients) client.destroy();
      await behind.stop();
    }
  });
});
