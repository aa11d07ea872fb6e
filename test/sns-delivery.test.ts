import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, beforeEach, describe, test } from 'node:test';
import { DeliverySinks, type DeliveryMessage } from '../src/contracts/delivery-sinks.js';
import { AsyncInvokeRefused, type AsyncInvokeRequest } from '../src/contracts/async-invoker.js';
import type { Clock } from '../src/clock.js';
import type { RequestContext } from '../src/contracts/request-context.js';
import { createLogger } from '../src/logger.js';
import { startSns, type StartedSns } from '../src/services/sns/start.js';
import { openStore, type Store } from '../src/store/database.js';
import { signatureVerifies } from './support/sns-signature.js';

/** A clock the test moves by hand; timers fire when it passes them. */
class ManualClock implements Clock {
  private t = Date.UTC(2026, 0, 1);
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.t + ms, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => !x.cancelled && x.at <= this.t);
    this.timers = this.timers.filter((x) => !due.includes(x));
    for (const timer of due) timer.fn();
  }
}

interface Delivered {
  arn: string;
  message: DeliveryMessage;
}

/** A stand-in for the SQS service's sink: records what it accepts; `failing` queues refuse. */
function recordingSqsSink(delivered: Delivered[], failing: Set<string> = new Set(), hang = false, deleted: Set<string> = new Set()) {
  return {
    service: 'sqs',
    exists: async (arn: string) => !deleted.has(arn),
    deliver: async (arn: string, message: DeliveryMessage) => {
      if (hang) return new Promise<void>(() => undefined);
      if (failing.has(arn) || deleted.has(arn)) throw new Error('queue refused');
      delivered.push({ arn, message });
    },
  };
}

function request(params: Record<string, string>): RequestContext {
  return {
    requestId: 'req',
    method: 'POST',
    rawPath: '/',
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(new URLSearchParams({ Version: '2010-03-31', ...params }).toString()),
    accountId: '000000000000',
    region: 'us-east-1',
    accessKeyId: 'test',
    endpoint: { protocol: 'http', hostname: '127.0.0.1', port: 4566 },
    sourceIp: '127.0.0.1',
  };
}

async function call(sns: StartedSns, params: Record<string, string>): Promise<string> {
  const res = await sns.service.handle(request(params));
  assert.equal(res.status, 200, String(res.body));
  return String(res.body);
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 20));
}

describe('SNS durable delivery (in-process, with stand-in sinks)', () => {
  const dirs: string[] = [];
  const logger = createLogger('silent');
  let dataDir: string;
  let store: Store;
  let clock: ManualClock;

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-sns-'));
    dirs.push(dataDir);
    store = await openStore({ kind: 'sqlite', dataDir });
    clock = new ManualClock();
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function service(sinks: DeliverySinks, asyncInvoker?: { enqueue(r: AsyncInvokeRequest): Promise<{ requestId: string }> }, db: Store = store): Promise<StartedSns> {
    const sns = await startSns({ db, clock, logger, sinks, asyncInvoker, endpointUrl: () => 'http://127.0.0.1:4566', dataDir });
    sns.start();
    return sns;
  }

  test('a delivery accepted by Publish survives the store being dropped mid-delivery (in process, nothing closed gracefully), before the queue took it', async () => {
    const hanging = new DeliverySinks();
    hanging.register(recordingSqsSink([], new Set(), true));
    const first = await service(hanging);
    const topic = tag(await call(first, { Action: 'CreateTopic', Name: 'crash' }), 'TopicArn');
    await call(first, { Action: 'Subscribe', TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q' });
    const messageId = tag(await call(first, { Action: 'Publish', TopicArn: topic, Message: 'keep me' }), 'MessageId');
    await settle();
    // The store goes away while the queue has not answered; nothing is closed gracefully. This is
    // one process, not a kill: SIGKILLed servers are async-durability's and sqs-durability's tests.
    await store.destroy();

    store = await openStore({ kind: 'sqlite', dataDir });
    const delivered: Delivered[] = [];
    const sinks = new DeliverySinks();
    sinks.register(recordingSqsSink(delivered));
    const second = await service(sinks);
    await settle();
    assert.equal(delivered.length, 1);
    assert.equal(JSON.parse(delivered[0]!.message.body).MessageId, messageId);
    const left = await store.selectFrom('sns_deliveries').selectAll().execute();
    assert.equal(left.length, 0);
    await second.close();
    await store.destroy();
  });

  test('SQS: envelope, raw with attributes, FIFO ids, sent on the topic’s behalf', async () => {
    const delivered: Delivered[] = [];
    const sinks = new DeliverySinks();
    sinks.register(recordingSqsSink(delivered));
    const sns = await service(sinks);
    const topic = tag(await call(sns, { Action: 'CreateTopic', Name: 'fan' }), 'TopicArn');
    const q = (n: string) => `arn:aws:sqs:us-east-1:000000000000:${n}`;
    await call(sns, { Action: 'Subscribe', TopicArn: topic, Protocol: 'sqs', Endpoint: q('env') });
    await call(sns, {
      Action: 'Subscribe',
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: q('raw'),
      'Attributes.entry.1.key': 'RawMessageDelivery',
      'Attributes.entry.1.value': 'true',
    });
    await call(sns, {
      Action: 'Publish',
      TopicArn: topic,
      Message: 'payload',
      Subject: 'S',
      'MessageAttributes.entry.1.Name': 'n',
      'MessageAttributes.entry.1.Value.DataType': 'Number',
      'MessageAttributes.entry.1.Value.StringValue': '7',
    });
    await settle();
    const env = delivered.find((d) => d.arn === q('env'))!;
    const body = JSON.parse(env.message.body);
    assert.equal(body.Type, 'Notification');
    assert.equal(body.Message, 'payload');
    assert.equal(body.Subject, 'S');
    assert.deepEqual(body.MessageAttributes, { n: { Type: 'Number', Value: '7' } });
    assert.match(body.UnsubscribeURL, /Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:000000000000:fan:/);
    assert.equal(env.message.attributes, undefined);
    assert.deepEqual(env.message.sentBy, { principalService: 'sns.amazonaws.com', sourceArn: topic, accountId: '000000000000' });
    const raw = delivered.find((d) => d.arn === q('raw'))!;
    assert.equal(raw.message.body, 'payload');
    assert.deepEqual(raw.message.attributes, { n: { type: 'Number', value: '7' } });

    const fifo = tag(await call(sns, { Action: 'CreateTopic', Name: 'f.fifo', 'Attributes.entry.1.key': 'FifoTopic', 'Attributes.entry.1.value': 'true' }), 'TopicArn');
    await call(sns, { Action: 'Subscribe', TopicArn: fifo, Protocol: 'sqs', Endpoint: q('f.fifo') });
    for (let i = 0; i < 5; i++) await call(sns, { Action: 'Publish', TopicArn: fifo, Message: `m${i}`, MessageGroupId: 'g', MessageDeduplicationId: `d${i}` });
    await settle();
    const ordered = delivered.filter((d) => d.arn === q('f.fifo'));
    assert.deepEqual(ordered.map((d) => JSON.parse(d.message.body).Message), ['m0', 'm1', 'm2', 'm3', 'm4']);
    assert.deepEqual(ordered.map((d) => d.message.messageGroupId), ['g', 'g', 'g', 'g', 'g']);
    assert.deepEqual(ordered.map((d) => d.message.messageDeduplicationId), ['d0', 'd1', 'd2', 'd3', 'd4']);
    assert.match(JSON.parse(ordered[0]!.message.body).SequenceNumber, /^\d{20}$/);
    await sns.close();
    await store.destroy();
  });

  test('a refusing queue is retried with backoff until it accepts', async () => {
    const delivered: Delivered[] = [];
    const failing = new Set(['arn:aws:sqs:us-east-1:000000000000:flaky']);
    const sinks = new DeliverySinks();
    sinks.register(recordingSqsSink(delivered, failing));
    const sns = await service(sinks);
    const topic = tag(await call(sns, { Action: 'CreateTopic', Name: 'retry' }), 'TopicArn');
    await call(sns, { Action: 'Subscribe', TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:flaky' });
    await call(sns, { Action: 'Publish', TopicArn: topic, Message: 'eventually' });
    await settle();
    let row = await store.selectFrom('sns_deliveries').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.attempts, 1);
    assert.equal(Number(row.next_attempt_at), clock.now() + 1000);
    clock.advance(1000);
    await settle();
    row = await store.selectFrom('sns_deliveries').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.attempts, 2);
    assert.equal(Number(row.next_attempt_at), clock.now() + 2000);
    failing.clear();
    clock.advance(2000);
    await settle();
    assert.equal(delivered.length, 1);
    assert.equal((await store.selectFrom('sns_deliveries').selectAll().execute()).length, 0);
    await sns.close();
    await store.destroy();
  });

  test('a FIFO group waits behind its failed head, then goes on in order', async () => {
    const delivered: Delivered[] = [];
    const q = 'arn:aws:sqs:us-east-1:000000000000:order.fifo';
    const failing = new Set([q]);
    const sinks = new DeliverySinks();
    sinks.register(recordingSqsSink(delivered, failing));
    const sns = await service(sinks);
    const topic = tag(await call(sns, { Action: 'CreateTopic', Name: 'order.fifo', 'Attributes.entry.1.key': 'FifoTopic', 'Attributes.entry.1.value': 'true' }), 'TopicArn');
    await call(sns, { Action: 'Subscribe', TopicArn: topic, Protocol: 'sqs', Endpoint: q });
    await call(sns, { Action: 'Publish', TopicArn: topic, Message: 'm0', MessageGroupId: 'a', MessageDeduplicationId: '0' });
    await settle();
    failing.clear();
    for (let i = 1; i < 4; i++) await call(sns, { Action: 'Publish', TopicArn: topic, Message: `m${i}`, MessageGroupId: 'a', MessageDeduplicationId: String(i) });
    await call(sns, { Action: 'Publish', TopicArn: topic, Message: 'other group', MessageGroupId: 'b', MessageDeduplicationId: 'b' });
    await settle();
    // Group b is not held up; group a waits for m0's retry.
    assert.deepEqual(delivered.map((d) => JSON.parse(d.message.body).Message), ['other group']);
    clock.advance(1000);
    await waitUntil(() => delivered.length === 5);
    assert.deepEqual(delivered.slice(1).map((d) => JSON.parse(d.message.body).Message), ['m0', 'm1', 'm2', 'm3']);
    await sns.close();
    await store.destroy();
  });

  test('a deleted queue is not retried: the message goes to the subscription’s dead-letter queue', async () => {
    const delivered: Delivered[] = [];
    const gone = 'arn:aws:sqs:us-east-1:000000000000:gone';
    const dlq = 'arn:aws:sqs:us-east-1:000000000000:gone-dlq';
    const sinks = new DeliverySinks();
    sinks.register(recordingSqsSink(delivered, new Set(), false, new Set([gone])));
    const sns = await service(sinks);
    const topic = tag(await call(sns, { Action: 'CreateTopic', Name: 'gone' }), 'TopicArn');
    await call(sns, {
      Action: 'Subscribe',
      TopicArn: topic,
      Protocol: 'sqs',
      Endpoint: gone,
      'Attributes.entry.1.key': 'RedrivePolicy',
      'Attributes.entry.1.value': JSON.stringify({ deadLetterTargetArn: dlq }),
    });
    await call(sns, { Action: 'Publish', TopicArn: topic, Message: 'orphan' });
    await settle();
    assert.deepEqual(delivered.map((d) => d.arn), [dlq]);
    assert.equal(JSON.parse(delivered[0]!.message.body).Message, 'orphan');
    assert.equal((await store.selectFrom('sns_deliveries').selectAll().execute()).length, 0);
    await sns.close();
    await store.destroy();
  });

  test('HTTP: three retries 20 s apart, then the subscription’s dead-letter queue', async () => {
    const delivered: Delivered[] = [];
    const sinks = new DeliverySinks();
    sinks.register(recordingSqsSink(delivered));
    const sns = await service(sinks);
    const topic = tag(await call(sns, { Action: 'CreateTopic', Name: 'dead' }), 'TopicArn');
    // Port 9 (discard) refuses connections on loopback: every attempt fails fast.
    const arn = tag(await call(sns, { Action: 'Subscribe', TopicArn: topic, Protocol: 'http', Endpoint: 'http://127.0.0.1:9/x', ReturnSubscriptionArn: 'true' }), 'SubscriptionArn');
    const { token } = await store.selectFrom('sns_subscriptions').select('token').where('arn', '=', arn).executeTakeFirstOrThrow();
    await call(sns, { Action: 'ConfirmSubscription', TopicArn: topic, Token: token! });
    const dlq = 'arn:aws:sqs:us-east-1:000000000000:dlq';
    await call(sns, { Action: 'SetSubscriptionAttributes', SubscriptionArn: arn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: dlq }) });
    // The confirmation POST itself is owed too; let it fail through its retries first.
    for (let i = 0; i < 4; i++) {
      await settle();
      clock.advance(20_000);
    }
    await settle();
    assert.equal(delivered.length, 0, 'confirmations are not dead-lettered');
    await call(sns, { Action: 'Publish', TopicArn: topic, Message: 'unreachable' });
    for (let i = 0; i < 3; i++) {
      await settle();
      assert.equal(delivered.length, 0);
      clock.advance(20_000);
    }
    await waitUntil(() => delivered.length === 1);
    assert.equal(delivered[0]!.arn, dlq);
    assert.equal(JSON.parse(delivered[0]!.message.body).Message, 'unreachable');
    assert.equal((await store.selectFrom('sns_deliveries').selectAll().execute()).length, 0);
    await sns.close();
    await store.destroy();
  });

  test('Lambda: an asynchronous invoke as sns.amazonaws.com with the SNS event', async () => {
    const enqueued: AsyncInvokeRequest[] = [];
    const sns = await service(new DeliverySinks(), {
      enqueue: async (r) => {
        if (r.functionName.endsWith(':denied')) throw new AsyncInvokeRefused('AccessDenied', 'not allowed');
        enqueued.push(r);
        return { requestId: 'r' };
      },
    });
    const topic = tag(await call(sns, { Action: 'CreateTopic', Name: 'fn' }), 'TopicArn');
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:handler';
    const sub = tag(await call(sns, { Action: 'Subscribe', TopicArn: topic, Protocol: 'lambda', Endpoint: fn }), 'SubscriptionArn');
    await call(sns, { Action: 'Subscribe', TopicArn: topic, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:denied' });
    await call(sns, { Action: 'Publish', TopicArn: topic, Message: 'to fn', 'MessageAttributes.entry.1.Name': 'a', 'MessageAttributes.entry.1.Value.DataType': 'String', 'MessageAttributes.entry.1.Value.StringValue': 'b' });
    await settle();
    assert.equal(enqueued.length, 1);
    const r = enqueued[0]!;
    assert.equal(r.functionName, fn);
    assert.equal(r.accountId, '000000000000');
    assert.equal(r.region, 'us-east-1');
    assert.deepEqual(r.caller, { principalService: 'sns.amazonaws.com', sourceArn: topic, sourceAccount: '000000000000' });
    const event = JSON.parse(r.payload.toString());
    assert.equal(event.Records.length, 1);
    const record = event.Records[0];
    assert.equal(record.EventSource, 'aws:sns');
    assert.equal(record.EventVersion, '1.0');
    assert.equal(record.EventSubscriptionArn, sub);
    assert.equal(record.Sns.Type, 'Notification');
    assert.equal(record.Sns.Message, 'to fn');
    assert.equal(record.Sns.Subject, null);
    assert.equal(record.Sns.TopicArn, topic);
    assert.deepEqual(record.Sns.MessageAttributes, { a: { Type: 'String', Value: 'b' } });
    assert.equal(record.Sns.SigningCertUrl, 'http://127.0.0.1:4566/_lambkin/sns/SimpleNotificationService.pem');
    assert.ok(record.Sns.UnsubscribeUrl);
    // No server listens here: the certificate SigningCertUrl would serve, from the data directory.
    const certificate = new X509Certificate(readFileSync(path.join(dataDir, 'sns', 'signing-cert.pem')));
    assert.equal(record.Sns.SignatureVersion, '1');
    assert.ok(signatureVerifies(record.Sns, certificate), 'the Lambda record verifies (Subject null is not signed)');
    // The refused function is not retried: its row is gone.
    assert.equal((await store.selectFrom('sns_deliveries').selectAll().execute()).length, 0);
    await sns.close();
    await store.destroy();
  });

  test('the sns sink publishes to the topic (DLQs and destinations that name a topic)', async () => {
    const delivered: Delivered[] = [];
    const sinks = new DeliverySinks();
    sinks.register(recordingSqsSink(delivered));
    const sns = await service(sinks);
    const topic = tag(await call(sns, { Action: 'CreateTopic', Name: 'sinked' }), 'TopicArn');
    await call(sns, { Action: 'Subscribe', TopicArn: topic, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:out' });
    const sink = sinks.forArn(topic)!;
    assert.equal(await sink.exists(topic), true);
    assert.equal(await sink.exists(`${topic}-nope`), false);
    await sink.deliver(topic, { body: '{"requestContext":{}}', attributes: { ErrorCode: { type: 'Number', value: '200' } } });
    await settle();
    const body = JSON.parse(delivered[0]!.message.body);
    assert.equal(body.Message, '{"requestContext":{}}');
    assert.deepEqual(body.MessageAttributes, { ErrorCode: { Type: 'Number', Value: '200' } });
    await assert.rejects(sink.deliver(`${topic}-nope`, { body: 'x' }));
    await sns.close();
    await store.destroy();
  });
});

async function waitUntil(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(predicate());
}
