import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateAliasCommand, CreateEventSourceMappingCommand, CreateFunctionCommand, PutFunctionConcurrencyCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, PublishVersionCommand, UpdateAliasCommand,
  UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { ShiftableClock } from '../src/clock.js';
import { sqsQuery } from './support/sqs.js';
import { DeliverySinks } from '../src/contracts/delivery-sinks.js';
import { freePort, startChild } from './support/child-server.js';
import { until } from './support/cluster-nodes.js';
import { createTestDatabase, NO_POSTGRES, postgresReachable, type TestDatabase } from './support/postgres.js';
import { RecordingServer, recorderSource } from './support/recording-server.js';
import { recorderArn, RecordingSink } from './support/recording-sink.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';
import pg from 'pg';
import { kinesisClient } from './support/kinesis.js';
import { startRecorder, type Recorder } from './support/recorder.js';
import { createActiveStream, createStreamFunction, dataOf, putRecords, waitForMappingState } from './support/stream-mappings.js';

const skip = (await postgresReachable()) ? false : NO_POSTGRES;
/** Fast heartbeats: a killed node is taken for dead after 5 of them (1.5 s). */
const HEARTBEAT_MS = '300';

interface Node {
  url: string;
  child: ChildProcess;
  dataDir: string;
  lambda: LambdaClient;
}

async function startNode(database: TestDatabase): Promise<Node> {
  return startNodeWith(database, {});
}

async function startNodeWith(database: TestDatabase, env: Record<string, string>): Promise<Node> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-cluster-'));
  let port = 0;
  let child: ChildProcess | undefined;
  // A free port can be taken by another process before the node binds it (a busy machine): try another.
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    try {
      child = await startChild(dataDir, port, { LAMBKIN_STORE: database.url, LAMBKIN_CLUSTER_HEARTBEAT_MS: HEARTBEAT_MS, LAMBKIN_SPARE_ENVIRONMENTS: '0', ...env });
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  const url = `http://127.0.0.1:${port}`;
  const lambda = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  return { url, child, dataDir, lambda };
}

async function killNode(node: Node): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = new Promise((resolve) => node.child.once('exit', resolve));
  node.child.kill('SIGKILL');
  await exited;
}

async function clusterOf(node: Node): Promise<{ node: string; members: Array<{ nodeId: string; url: string; self: boolean; inFlight: number; environments: Record<string, number> }> }> {
  const res = await fetch(`${node.url}/_lambkin/cluster`);
  assert.equal(res.status, 200);
  return (await res.json()) as never;
}

const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? []).toString('utf8');

/**
 * Where queued asynchronous events stand (for a failure message): counts, leases, attempts,
 * throttles and errors, the earliest due time, a few last responses, and each node's listing.
 */
async function asyncQueueReport(database: TestDatabase, nodes: Node[]): Promise<string> {
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    const now = Date.now();
    const { rows: [summary] } = await db.query(`select count(*) as queued, count(lease_owner) as leased, sum(invoke_count) as invokes, sum(error_count) as errors,
      sum(throttle_count) as throttles, min(next_attempt_at) - $1::bigint as next_due_in_ms from async_events`, [now]);
    const { rows: responses } = await db.query(`select last_response, count(*) as n from async_events where last_response is not null group by last_response limit 5`);
    const { rows: slots } = await db.query(`select scope, count(*) as n from concurrency_slots group by scope`);
    const listings = await Promise.all(nodes.map(async (n) => fetch(`${n.url}/_lambkin/cluster`).then((r) => r.text(), (e: Error) => `${n.url}: ${e.message}`)));
    return JSON.stringify({ summary, responses, slots, listings: listings.map((l) => l.slice(0, 1500)) });
  } catch (err) {
    return `no report: ${(err as Error).message}`;
  } finally {
    await db.end();
  }
}

describe('cluster: three nodes on one PostgreSQL', { skip }, () => {
  let database: TestDatabase;
  let recording: RecordingServer;
  let recorder: Recorder;
  const nodes: Node[] = [];

  before(async () => {
    database = await createTestDatabase();
    // Both before the nodes: functions reach only the host ports allowed when their node started.
    recording = await RecordingServer.start();
    recorder = await startRecorder();
    // One at a time: the first migrates, the others find nothing to do.
    for (let i = 0; i < 3; i++) nodes.push(await startNode(database));
  });
  after(async () => {
    for (const node of nodes) {
      await killNode(node);
      rmSync(node.dataDir, { recursive: true, force: true });
    }
    await recording?.close();
    await recorder?.close();
    await database?.drop();
  });

  test('any node answers: created on A, invoked on B and C; a configuration change on A and an alias change on B are seen on the others at once', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    await a.lambda.send(new CreateFunctionCommand({
      FunctionName: 'greeter', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async () => process.env.GREETING;' }) },
      Environment: { Variables: { GREETING: 'one' } },
    }));
    await waitUntilFunctionActiveV2({ client: a.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'greeter' });
    for (const node of [b, c]) assert.equal(text((await node.lambda.send(new InvokeCommand({ FunctionName: 'greeter' }))).Payload), '"one"');
    const v1 = await a.lambda.send(new PublishVersionCommand({ FunctionName: 'greeter' }));

    // B has the function's configuration cached from its invoke; A's change must reach it.
    await a.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'greeter', Environment: { Variables: { GREETING: 'two' } } }));
    await waitUntilFunctionUpdatedV2({ client: a.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'greeter' });
    assert.equal((await b.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'greeter' }))).Environment?.Variables?.GREETING, 'two');
    assert.equal(text((await b.lambda.send(new InvokeCommand({ FunctionName: 'greeter' }))).Payload), '"two"');
    const v2 = await a.lambda.send(new PublishVersionCommand({ FunctionName: 'greeter' }));

    await a.lambda.send(new CreateAliasCommand({ FunctionName: 'greeter', Name: 'live', FunctionVersion: v1.Version! }));
    assert.equal(text((await c.lambda.send(new InvokeCommand({ FunctionName: 'greeter', Qualifier: 'live' }))).Payload), '"one"');
    await b.lambda.send(new UpdateAliasCommand({ FunctionName: 'greeter', Name: 'live', FunctionVersion: v2.Version! }));
    assert.equal(text((await c.lambda.send(new InvokeCommand({ FunctionName: 'greeter', Qualifier: 'live' }))).Payload), '"two"');

    const listing = await clusterOf(c);
    assert.equal(listing.members.length, 3);
    assert.deepEqual(listing.members.map((m) => m.url).sort(), nodes.map((n) => n.url).sort());
    assert.equal(listing.members.filter((m) => m.self).length, 1);
    // C ran the alias's environments: its load lists them (as of its last heartbeat).
    await until(async () => Object.values((await clusterOf(a)).members.find((m) => m.url === c.url)?.environments ?? {}).reduce((x, y) => x + y, 0) > 0, 5_000, "C's environments in A's listing");
  });

  test('reserved concurrency holds for the cluster: 9 simultaneous invokes over three nodes of a function reserved to 2 run 2; back-to-back invokes across nodes are not throttled', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    await a.lambda.send(new CreateFunctionCommand({
      FunctionName: 'limited', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 30,
      Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms || 0)); return "ok"; };' }) },
    }));
    await waitUntilFunctionActiveV2({ client: a.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'limited' });
    await b.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'limited', ReservedConcurrentExecutions: 2 }));
    // One at a time, alternating nodes: each finds the previous one's slot given back.
    for (let round = 0; round < 2; round++) {
      for (const node of [a, b, c]) assert.equal(text((await node.lambda.send(new InvokeCommand({ FunctionName: 'limited', Payload: Buffer.from('{}') }))).Payload), '"ok"');
    }
    const outcomes = await Promise.all(Array.from({ length: 9 }, (_, i) => nodes[i % 3]!.lambda
      .send(new InvokeCommand({ FunctionName: 'limited', Payload: Buffer.from(JSON.stringify({ ms: 2_000 })) }))
      .then(() => 'ran', (err: { name?: string; Reason?: string }) => `${err.name}:${err.Reason}`)));
    const ran = outcomes.filter((o) => o === 'ran').length;
    assert.ok(ran >= 1 && ran <= 2, `ran ${ran} at once: ${outcomes.join(', ')}`);
    for (const o of outcomes.filter((x) => x !== 'ran')) assert.equal(o, 'TooManyRequestsException:ReservedFunctionConcurrentInvocationLimitExceeded');
  });

  test('kill -9 one node during 16-client asynchronous load over all three: every acknowledged event runs; the dead node leaves the listing', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    await a.lambda.send(new CreateFunctionCommand({
      FunctionName: 'counter', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 30,
      Code: { ZipFile: makeZip({ 'index.js': recorderSource('counter') }) },
      Environment: { Variables: { RECORDER_URL: recording.url } },
    }));
    await waitUntilFunctionActiveV2({ client: a.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'counter' });
    const TOTAL = 600;
    const acked = new Map<string, number>();
    let next = 0;
    const client = async (k: number) => {
      while (next < TOTAL) {
        const i = next++;
        // As a client of a cluster does: a node that does not answer, try the next one.
        for (let attempt = 0; attempt < 3; attempt++) {
          const node = nodes[(i + k + attempt) % 3]!;
          try {
            const out = await node.lambda.send(new InvokeCommand({ FunctionName: 'counter', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ i, sleepMs: 20 })) }));
            if (out.StatusCode === 202) acked.set(out.$metadata.requestId!, i);
            break;
          } catch {
            // Sent to the killed node: not acknowledged, so not promised.
          }
        }
      }
    };
    const sending = Promise.all(Array.from({ length: 16 }, (_, k) => client(k)));
    // Kill C while events are queued on it and running on it.
    await recording.until(() => recording.received.filter((r) => r.fn === 'counter').length >= 100, 120_000)
      .catch(async (err: Error) => { throw new Error(`${err.message}\n${await asyncQueueReport(database, nodes)}`); });
    await killNode(c);
    await sending;
    assert.ok(acked.size >= TOTAL * 0.9, `only ${acked.size} events were acknowledged`);
    const seen = () => new Set(recording.received.filter((r) => r.fn === 'counter').map((r) => r.requestId));
    await until(() => {
      const s = seen();
      return [...acked.keys()].every((id) => s.has(id));
    }, 180_000, `every acknowledged event to run (${acked.size} acknowledged, ${seen().size} ran)`)
      .catch(async (err: Error) => { throw new Error(`${err.message}\n${await asyncQueueReport(database, nodes)}`); });
    for (const r of recording.received.filter((x) => x.fn === 'counter')) {
      const i = acked.get(r.requestId);
      if (i !== undefined) assert.equal((r.event as { i: number }).i, i);
    }
    await until(async () => (await clusterOf(a)).members.length === 2, 10_000, 'the dead node to leave the listing');
    assert.ok(!(await clusterOf(b)).members.some((m) => m.url === c.url));
  });
  test('a Kinesis mapping is polled by one node; kill -9 that node and a survivor takes it over, records put on any node reach the function', async () => {
    const live = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    assert.ok(live.length >= 2, 'the earlier test leaves two nodes');
    const [a, b] = live as [Node, Node];
    // Created through both nodes: either may end up polling.
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      await createStreamFunction(a.lambda, 'reader', recorder.url);
      const stream = await createActiveStream(kinesisClient(a.url), 'moving');
      const { UUID } = await b.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'reader', EventSourceArn: stream, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 }));
      await waitForMappingState(a.lambda, UUID!, 'Enabled');
      const ownerUrl = async (): Promise<string | undefined> => {
        const { rows } = await db.query<{ url: string }>(`select m.url from cluster_leases l join cluster_members m on m.node_id = l.owner where l.name = $1 and l.expires_at > $2`, [`kinesis:${UUID}`, Date.now()]);
        return rows[0]?.url;
      };
      // Put on the node that does not poll: its NOTIFY wakes the owner's reader.
      await until(async () => (await ownerUrl()) !== undefined, 10_000, 'an owner for the mapping');
      const first = await ownerUrl();
      const polling = live.find((n) => n.url === first)!;
      const other = live.find((n) => n.url !== first)!;
      await putRecords(kinesisClient(other.url), 'moving', Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, data: { n: i } })));
      await recorder.waitFor(() => dataOf(recorder, 'reader').length >= 20, 30_000);

      await killNode(polling);
      await putRecords(kinesisClient(other.url), 'moving', Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, data: { n: 20 + i } })));
      await until(async () => (await ownerUrl()) === other.url, 15_000, 'the survivor to own the mapping');
      await recorder.waitFor(() => new Set(dataOf(recorder, 'reader').map((d) => (d as { n: number }).n)).size === 40, 30_000);
    } finally {
      await db.end();
    }
  });
  test('a node that joins takes its share of the stream mappings; stopped with SIGTERM it finishes its invocation, hands the mapping back and leaves the listing', async () => {
    const survivor = nodes.find((n) => n.child.exitCode === null && n.child.signalCode === null)!;
    const joined = await startNode(database);
    nodes.push(joined);
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const owners = async () => (await db.query<{ url: string }>(`select m.url from cluster_leases l join cluster_members m on m.node_id = l.owner where l.name like 'kinesis:%'`)).rows.map((r) => r.url);
      await until(async () => (await clusterOf(survivor)).members.length === 2, 10_000, 'the new node in the listing');
      // One mapping, two nodes: it stays with one of them (whichever the fair share gives it to).
      await until(async () => (await owners()).length === 1, 10_000, 'one owner of the mapping');
      // A version no node has an environment of: the new node runs it itself (a $LATEST invoke
      // would be forwarded to the survivor's idle environment).
      const { Version } = await joined.lambda.send(new PublishVersionCommand({ FunctionName: 'limited' }));
      const running = joined.lambda.send(new InvokeCommand({ FunctionName: 'limited', Qualifier: Version, Payload: Buffer.from(JSON.stringify({ ms: 1_500 })) }));
      await until(async () => (await clusterOf(survivor)).members.some((m) => m.url === joined.url && m.inFlight === 1), 10_000, 'the invocation in flight on the new node');
      const exited = new Promise<number | null>((resolve) => joined.child.once('exit', (code) => resolve(code)));
      joined.child.kill('SIGTERM');
      assert.equal(text((await running).Payload), '"ok"', 'the invocation under way finished');
      assert.equal(await exited, 0);
      // Gone at once, not after its heartbeat expired: it removed its own row as it left.
      assert.deepEqual((await db.query<{ url: string }>('select url from cluster_members')).rows.map((r) => r.url), [survivor.url]);
      await until(async () => (await clusterOf(survivor)).members.length === 1, 10_000, 'the survivor to list itself alone');
      await until(async () => (await owners()).join() === survivor.url, 10_000, 'the survivor to own the mapping');
    } finally {
      await db.end();
    }
  });
});

describe('cluster: schedules on three nodes fire each tick once', { skip }, () => {
  test('a minutely rule on three nodes sharing a clock and a store: every tick delivered exactly once', async () => {
    const database = await createTestDatabase();
    const clock = new ShiftableClock(Date.parse('2026-11-01T00:00:30Z'));
    const recorder = new RecordingSink();
    const servers: TestServer[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const sinks = new DeliverySinks();
        sinks.register(recorder);
        // Only schedules run on the shifted clock; signatures keep real time.
        servers.push(await startTestServer({ LAMBKIN_STORE: database.url }, { eventsClock: clock, sinks }));
      }
      const events = new EventBridgeClient({ endpoint: servers[1]!.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      await events.send(new PutRuleCommand({ Name: 'minutely', ScheduleExpression: 'cron(* * * * ? *)' }));
      await events.send(new PutTargetsCommand({ Rule: 'minutely', Targets: [{ Id: 'rec', Arn: recorderArn('minutely') }] }));
      events.destroy();
      const expected: string[] = [];
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      try {
        for (let minute = 1; minute <= 5; minute++) {
          clock.setTime(Date.parse(`2026-11-01T00:0${minute}:01Z`));
          expected.push(`2026-11-01T00:0${minute}:00Z`);
          await recorder.waitFor(recorderArn('minutely'), minute, 15_000);
          // The next minute only once the delivery is acked: the sink sees the event before its
          // ack commits, and a minute's jump of the clock in no time would let another node take
          // the delivery's 60-s lease as run out and deliver it again (at least once, as AWS).
          await until(async () => Number((await db.query<{ n: string }>('select count(*) as n from events_deliveries')).rows[0]!.n) === 0, 15_000, 'the tick\'s delivery acked');
        }
      } finally {
        await db.end();
      }
      // Time for a duplicate to show up, had any node fired a tick again.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(recorder.for(recorderArn('minutely')).map((m) => JSON.parse(m.body).time as string), expected);
    } finally {
      for (const server of servers) await server.stop();
      await database.drop();
    }
  });
});

describe('cluster: node-to-node calls and SQS queues served by one node', { skip }, () => {
  let database: TestDatabase;
  let recording: RecordingServer;
  const nodes: Node[] = [];
  const QUEUE_SCOPE = 'sqs-queues:000000000000/us-east-1';

  before(async () => {
    database = await createTestDatabase();
    recording = await RecordingServer.start();
    for (let i = 0; i < 3; i++) nodes.push(await startNode(database));
  });
  after(async () => {
    for (const node of nodes) {
      await killNode(node);
      rmSync(node.dataDir, { recursive: true, force: true });
    }
    await recording?.close();
    await database?.drop();
  });

  /** SQS through this node only (not the node a queue URL names), retrying the 503 of a queue moving between nodes. */
  const sqsOf = (node: Node, maxAttempts = 3) =>
    new SQSClient({ endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts, useQueueUrlAsEndpoint: false });

  /** The node serving the default account's queues now, from the lease row. */
  async function queueOwner(): Promise<Node | undefined> {
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const row = (await db.query<{ owner: string; expires_at: string }>('select owner, expires_at from cluster_leases where name = $1', [QUEUE_SCOPE])).rows[0];
      if (!row || Number(row.expires_at) <= Date.now()) return undefined;
      const live = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
      for (const node of live) if ((await clusterOf(node)).node === row.owner) return node;
      return undefined;
    } finally {
      await db.end();
    }
  }

  test('a node-to-node call needs the secret every node reads from the database: without it or with a wrong one, 403', async () => {
    const [a, b] = nodes as [Node, Node];
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    let secret: string;
    try {
      secret = (await db.query<{ value: string }>("select value from cluster_secrets where name = 'node-call'")).rows[0]!.value;
    } finally {
      await db.end();
    }
    assert.equal((await fetch(`${a.url}/_lambkin/node`)).status, 403);
    assert.equal((await fetch(`${a.url}/_lambkin/node`, { headers: { 'x-lambkin-node-auth': 'not-the-secret' } })).status, 403);
    // The wrong secret is refused before any route or service sees the request.
    assert.equal((await fetch(`${b.url}/_lambkin/health`, { headers: { 'x-lambkin-node-auth': secret.slice(1) } })).status, 403);
    const res = await fetch(`${b.url}/_lambkin/node`, { headers: { 'x-lambkin-node-auth': secret } });
    assert.equal(res.status, 200);
    const listing = await clusterOf(b);
    assert.equal(((await res.json()) as { node: string }).node, listing.node);
  });

  test('an SQS queue created on A takes sends on B and receives on C, in the JSON and the query protocol; a long poll waits through the relay', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    const { QueueUrl } = await sqsOf(a).send(new CreateQueueCommand({ QueueName: 'shared', Attributes: { VisibilityTimeout: '30' } }));
    const owner = await queueOwner();
    assert.ok(owner, 'one node serves the queues');
    const others = nodes.filter((n) => n !== owner);
    // A long poll on a node that relays it, answered by a send through the other relaying node.
    const polling = sqsOf(others[0]!).send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MessageAttributeNames: ['All'] }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = await sqsOf(others[1]!).send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello from B', MessageAttributes: { n: { DataType: 'Number', StringValue: '7' } } }));
    const got = await polling;
    assert.equal(got.Messages?.length, 1);
    assert.equal(got.Messages?.[0]?.MessageId, sent.MessageId);
    assert.equal(got.Messages?.[0]?.Body, 'hello from B');
    assert.equal(got.Messages?.[0]?.MessageAttributes?.n?.StringValue, '7');
    await sqsOf(c).send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got.Messages![0]!.ReceiptHandle! }));

    // The query protocol on the queue's path, through each relaying node: the answer comes back as the owner wrote it.
    const viaQuery = await sqsQuery(others[0]!.url, { Action: 'SendMessage', MessageBody: 'x<y' }, '/000000000000/shared');
    assert.equal(viaQuery.status, 200);
    const received = await sqsQuery(others[1]!.url, { Action: 'ReceiveMessage', QueueUrl: `${b.url}/000000000000/shared`, WaitTimeSeconds: '5' });
    assert.equal(received.status, 200);
    assert.match(received.body, /<Body>x&lt;y<\/Body>/);
    const requestId = /<RequestId>([^<]+)<\/RequestId>/.exec(received.body)?.[1];
    assert.equal(received.headers['x-amzn-requestid'], requestId, 'the relayed answer names one request id');
    const missing = await sqsQuery(others[0]!.url, { Action: 'GetQueueAttributes', QueueUrl: '/000000000000/nope', 'AttributeName.1': 'All' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /<Code>AWS.SimpleQueueService.NonExistentQueue<\/Code>/);
    const attributes = await sqsOf(a).send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible', 'VisibilityTimeout'] }));
    assert.equal(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible, '1');
    assert.equal(attributes.Attributes?.VisibilityTimeout, '30');
  });

  test("an SQS mapping runs on its queue's node: every message sent through any of three nodes invokes the function at least once", async () => {
    const [a, b] = nodes as [Node, Node];
    await a.lambda.send(new CreateFunctionCommand({
      FunctionName: 'drain', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 30,
      Code: { ZipFile: makeZip({ 'index.js': recorderSource('drain') }) },
      Environment: { Variables: { RECORDER_URL: recording.url } },
    }));
    await waitUntilFunctionActiveV2({ client: a.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'drain' });
    const { QueueUrl } = await sqsOf(b).send(new CreateQueueCommand({ QueueName: 'drained' }));
    await b.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'drain', EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:drained', BatchSize: 10 }));
    const bodies = new Set<string>();
    for (let batch = 0; batch < 6; batch++) {
      const entries = Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `m-${batch}-${i}` }));
      const out = await sqsOf(nodes[batch % 3]!).send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
      assert.equal(out.Successful?.length, 10);
      for (const e of entries) bodies.add(e.MessageBody);
    }
    const delivered = () => new Set(recording.received.filter((r) => r.fn === 'drain').flatMap((r) => (r.event as { Records: Array<{ body: string }> }).Records.map((x) => x.body)));
    await until(() => [...bodies].every((body) => delivered().has(body)), 30_000, () => `every message to reach the function (${delivered().size} of ${bodies.size})`);
  });

  test("kill -9 the queues' node while 3 clients send and receive: every acknowledged send is received afterwards, the queues move to a survivor", async () => {
    const { QueueUrl } = await sqsOf(nodes[0]!).send(new CreateQueueCommand({ QueueName: 'survives', Attributes: { VisibilityTimeout: '2' } }));
    const owner = await queueOwner();
    assert.ok(owner);
    const acked = new Set<string>();
    const receivedBodies = new Set<string>();
    let sending = true;
    let receiving = true;
    const sender = async (node: Node, k: number) => {
      for (let i = 0; sending; i++) {
        const body = `s-${k}-${i}`;
        try {
          await sqsOf(node, 1).send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
          acked.add(body);
        } catch {
          // Not acknowledged (the node died, or the queues were moving): not promised.
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const receiver = async (node: Node) => {
      const client = sqsOf(node, 1);
      while (receiving) {
        try {
          const out = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
          for (const m of out.Messages ?? []) {
            receivedBodies.add(m.Body!);
            await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! })).catch(() => undefined);
          }
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const senders = Promise.all(nodes.map((n, k) => sender(n, k)));
    const receivers = Promise.all(nodes.map((n) => receiver(n)));
    await until(() => acked.size >= 60, 20_000, 'sends before the kill');
    await killNode(owner);
    await until(async () => {
      const next = await queueOwner();
      return next !== undefined && next !== owner;
    }, 15_000, 'a survivor to serve the queues');
    const ackedAtMove = acked.size;
    await until(() => acked.size >= ackedAtMove + 30, 15_000, 'sends after the move');
    sending = false;
    await senders;
    await until(() => [...acked].every((body) => receivedBodies.has(body)), 20_000, () => `every acknowledged send to be received (${[...acked].filter((x) => !receivedBodies.has(x)).length} of ${acked.size} missing)`);
    receiving = false;
    await receivers;
  });
});


describe('cluster: what a dead node left half done', { skip }, () => {
  test('a function created on a node killed before it settled is made Active by a survivor', async () => {
    const database = await createTestDatabase();
    // A settles its versions only after 10 minutes: it dies with the function Pending.
    const a = await startNodeWith(database, { LAMBKIN_PROVISIONING_DELAY_MS: '600000' });
    const b = await startNodeWith(database, {});
    try {
      await a.lambda.send(new CreateFunctionCommand({
        FunctionName: 'orphan', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
        Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async () => "settled";' }) },
      }));
      const state = async () => (await b.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'orphan' }))).State;
      assert.equal(await state(), 'Pending');
      await killNode(a);
      // Taken for dead after 5 heartbeats (1.5 s); then the survivor settles what A left.
      await until(async () => (await state()) === 'Active', 20_000, 'the survivor to settle the function');
      assert.equal(text((await b.lambda.send(new InvokeCommand({ FunctionName: 'orphan' }))).Payload), '"settled"');
    } finally {
      for (const node of [a, b]) {
        await killNode(node);
        node.lambda.destroy();
        rmSync(node.dataDir, { recursive: true, force: true });
      }
      await database.drop();
    }
  });
});
