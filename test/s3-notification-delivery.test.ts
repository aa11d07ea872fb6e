import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DeliverySinks, type DeliveryMessage } from '../src/contracts/delivery-sinks.js';
import { AsyncInvokeRefused, type AsyncInvokeRequest } from '../src/contracts/async-invoker.js';
import { createLogger } from '../src/logger.js';
import { NotificationDelivery } from '../src/services/s3/notifications/delivery.js';
import { messagesFor, writeOutbox } from '../src/services/s3/notifications/outbox.js';
import { openStore, type Store } from '../src/store/database.js';

// The outbox drain against the two seams it delivers through (AsyncInvoker, DeliverySink). Their
// real implementations live in other branches; these stand-ins record what they are handed.
describe('S3 notification outbox delivery', () => {
  let db: Store;
  let now = 1_000_000;
  // Timers never fire on their own here: each test kicks the drain after moving time.
  const clock = { now: () => now, setTimeout: () => ({ cancel: () => undefined }) };
  const bucket = { name: 'b', account_id: '000000000000', region: 'us-east-1', created_at: 0, versioning: null, tags: null, notification: null, logging: null, policy: null, cors: null, lifecycle: null, acl: null, public_access_block: null, object_ownership: null, encryption: null, requester_pays: 0, object_lock: null, website: null };
  const record = JSON.stringify({ Records: [{ s3: { bucket: { arn: 'arn:aws:s3:::b' } } }] });

  before(async () => {
    db = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
  });
  after(async () => {
    await db.destroy();
  });

  const rows = () => db.selectFrom('s3_notification_outbox').selectAll().orderBy('id').execute();

  test('lambda messages go to the async invoker as s3.amazonaws.com; sink messages to the sink of their ARN', async () => {
    const invoked: AsyncInvokeRequest[] = [];
    const delivered: Array<[string, DeliveryMessage]> = [];
    const sinks = new DeliverySinks();
    sinks.register({ service: 'sqs', exists: async () => true, deliver: async (arn, message) => void delivered.push([arn, message]) });
    const delivery = new NotificationDelivery({
      db, clock, logger: createLogger('silent'), sinks,
      asyncInvoker: { enqueue: async (request) => (invoked.push(request), { requestId: 'r' }) },
    });
    await writeOutbox(db, bucket, [
      { destination: { kind: 'lambda', arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }, message: record },
      { destination: { kind: 'sink', arn: 'arn:aws:sqs:us-east-1:000000000000:q' }, message: JSON.stringify({ body: record }) },
    ], now);
    delivery.kick();
    await delivery.idle();
    assert.equal(invoked.length, 1);
    assert.equal(invoked[0]!.functionName, 'arn:aws:lambda:us-east-1:000000000000:function:f');
    assert.deepEqual(invoked[0]!.caller, { principalService: 's3.amazonaws.com', sourceArn: 'arn:aws:s3:::b', sourceAccount: '000000000000' });
    assert.equal(invoked[0]!.payload.toString(), record);
    assert.deepEqual(delivered, [['arn:aws:sqs:us-east-1:000000000000:q', { body: record }]]);
    assert.equal((await rows()).length, 0);
    await delivery.close();
  });

  test('a missing implementation or a failing sink keeps the message with backoff; a refused function drops it', async () => {
    let failing = true;
    const sinks = new DeliverySinks();
    sinks.register({ service: 'sns', exists: async () => true, deliver: async () => { if (failing) throw new Error('topic unavailable'); } });
    const delivery = new NotificationDelivery({
      db, clock, logger: createLogger('silent'), sinks,
      asyncInvoker: { enqueue: async () => { throw new AsyncInvokeRefused('AccessDenied', 'no'); } },
    });
    await writeOutbox(db, bucket, [
      { destination: { kind: 'sink', arn: 'arn:aws:sqs:us-east-1:000000000000:q' }, message: JSON.stringify({ body: record }) },
      { destination: { kind: 'sink', arn: 'arn:aws:sns:us-east-1:000000000000:t' }, message: JSON.stringify({ body: record }) },
      { destination: { kind: 'lambda', arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }, message: record },
    ], now);
    delivery.kick();
    await delivery.idle();
    let left = await rows();
    assert.deepEqual(left.map((r) => [JSON.parse(r.destination).arn, r.attempts, r.next_attempt_at - now]), [
      ['arn:aws:sqs:us-east-1:000000000000:q', 1, 1000],
      ['arn:aws:sns:us-east-1:000000000000:t', 1, 1000],
    ]);
    assert.match(left[0]!.last_error ?? '', /no delivery sink/);
    assert.equal(left[1]!.last_error, 'topic unavailable');
    failing = false;
    now += 1000;
    delivery.kick();
    await delivery.idle();
    left = await rows();
    assert.deepEqual(left.map((r) => [JSON.parse(r.destination).arn, r.attempts, r.next_attempt_at - now]), [['arn:aws:sqs:us-east-1:000000000000:q', 2, 2000]]);
    await delivery.close();
  });

  test('an object change becomes a Lambda record, a queue message and an EventBridge event as the configuration asks', () => {
    const config = {
      targets: [
        { kind: 'lambda', id: 'fn-rule', arn: 'arn:aws:lambda:us-east-1:000000000000:function:f', events: ['s3:ObjectCreated:*'], prefix: 'in/' },
        { kind: 'queue', id: 'q-rule', arn: 'arn:aws:sqs:us-east-1:000000000000:q', events: ['s3:ObjectRemoved:*'] },
      ],
      eventBridge: true,
    };
    const row = { ...bucket, versioning: 'Enabled', notification: JSON.stringify(config) };
    const event = {
      eventName: 'ObjectCreated:Put', accountId: '000000000000', region: 'us-east-1', bucket: 'b', key: 'in/a b+c.jpg', size: 5, etag: 'abc',
      versionId: 'v1', sequence: 7, eventTimeMs: Date.UTC(2026, 0, 5, 10, 11, 12, 345), requestId: '0123456789abcdef0123456789abcdef', sourceIp: '127.0.0.1', principalId: 'AWS:test',
    };
    const created = messagesFor(row, event);
    assert.deepEqual(created.map((m) => m.destination), [
      { kind: 'lambda', arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' },
      { kind: 'sink', arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' },
    ]);
    const record = (JSON.parse(created[0]!.message) as { Records: Array<Record<string, any>> }).Records[0]!;
    assert.equal(record.eventTime, '2026-01-05T10:11:12.345Z');
    assert.deepEqual(record.s3.object, { key: 'in/a+b%2Bc.jpg', size: 5, eTag: 'abc', versionId: 'v1', sequencer: record.s3.object.sequencer });
    assert.equal(record.s3.configurationId, 'fn-rule');
    assert.equal(record.responseElements['x-amz-request-id'], '0123456789ABCDEF');
    const bridge = JSON.parse(created[1]!.message) as DeliveryMessage;
    assert.deepEqual(bridge.event, { source: 'aws.s3', detailType: 'Object Created', resources: ['arn:aws:s3:::b'] });
    const detail = JSON.parse(bridge.body) as Record<string, any>;
    assert.deepEqual([detail.bucket, detail.object.key, detail.object.size, detail.object['version-id'], detail.reason], [{ name: 'b' }, 'in/a b+c.jpg', 5, 'v1', 'PutObject']);

    const removed = messagesFor(row, { ...event, eventName: 'ObjectRemoved:DeleteMarkerCreated', size: undefined, etag: undefined, key: 'other.txt' });
    assert.deepEqual(removed.map((m) => m.destination.arn), ['arn:aws:sqs:us-east-1:000000000000:q', 'arn:aws:events:us-east-1:000000000000:event-bus/default']);
    const removedDetail = JSON.parse((JSON.parse(removed[1]!.message) as DeliveryMessage).body) as Record<string, any>;
    assert.equal(removedDetail['deletion-type'], 'Delete Marker Created');
    assert.equal(JSON.parse(JSON.parse(removed[0]!.message).body).Records[0].eventName, 'ObjectRemoved:DeleteMarkerCreated');
  });
});
