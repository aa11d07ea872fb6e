import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient } from './support/sqs.js';
import { rejectsWith } from './support/aws-errors.js';

describe('sqs fifo queues and durability', () => {
  let server: TestServer;
  let sqs: SQSClient;
  before(async () => {
    server = await startTestServer();
    sqs = sqsClient(server.url);
  });
  after(() => server.stop());

  const create = async (name: string, Attributes?: Record<string, string>) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl as string;

  test('FIFO names and attributes are checked', async () => {
    await rejectsWith(create('nofifo', { FifoQueue: 'true' }), 'InvalidParameterValue', 400, /The name of a FIFO queue can only include/);
    await rejectsWith(create('named.fifo'), 'InvalidParameterValue', 400, /The name of a FIFO queue can only include/);
    const url = await create('attrs.fifo', { FifoQueue: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    assert.equal(Attributes?.FifoQueue, 'true');
    assert.equal(Attributes?.ContentBasedDeduplication, 'false');
    assert.equal(Attributes?.DeduplicationScope, 'messageGroup');
    assert.equal(Attributes?.FifoThroughputLimit, 'perMessageGroupId');
  });

  test('MessageGroupId and a deduplication id are required; duplicates within 5 minutes are dropped', async () => {
    const url = await create('dedup.fifo', { FifoQueue: 'true' });
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' })), 'MissingParameter', 400,
      'The request must contain the parameter MessageGroupId.');
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' })), 'InvalidParameterValue', 400,
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 })), 'InvalidParameterValue', 400);
    const first = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    const again = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    assert.equal(again.MessageId, first.MessageId);
    assert.equal(again.SequenceNumber, first.SequenceNumber);
    assert.match(first.SequenceNumber ?? '', /^\d{20}$/);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    assert.equal(got.Messages?.length, 1);

    const content = await create('content.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await sqs.send(new SendMessageCommand({ QueueUrl: content, MessageBody: 'same', MessageGroupId: 'g' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: content, MessageBody: 'same', MessageGroupId: 'g' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: content, MessageBody: 'other', MessageGroupId: 'g' }));
    const all = await sqs.send(new ReceiveMessageCommand({ QueueUrl: content, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    assert.deepEqual(all.Messages?.map((m) => m.Body), ['same', 'other']);
    assert.equal(all.Messages?.[0]?.Attributes?.MessageGroupId, 'g');
    assert.match(all.Messages?.[0]?.Attributes?.MessageDeduplicationId ?? '', /^[0-9a-f]{64}$/);
  });

  test('a group with a message in flight hands out nothing more until it is deleted; other groups go on', async () => {
    const url = await create('groups.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await sqs.send(new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [['a', 'a1'], ['a', 'a2'], ['b', 'b1'], ['a', 'a3']].map(([g, body], i) => ({ Id: `e${i}`, MessageGroupId: g, MessageBody: body })),
    }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
    assert.equal(first.Messages?.[0]?.Body, 'a1');
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    assert.deepEqual(second.Messages?.map((m) => m.Body), ['b1']);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages, undefined);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }));
    const third = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    assert.deepEqual(third.Messages?.map((m) => m.Body), ['a2', 'a3']);
  });

  test('concurrent senders to one group: receivers see each sender\'s messages in send order', async () => {
    const url = await create('concurrent.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await Promise.all(['p', 'q', 'r'].map(async (sender) => {
      for (let i = 0; i < 20; i++) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageGroupId: 'one', MessageBody: `${sender}:${i}` }));
    }));
    const bodies: string[] = [];
    const seqs: bigint[] = [];
    while (bodies.length < 60) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['SequenceNumber'] }));
      assert.ok(got.Messages?.length, 'group stalled');
      for (const m of got.Messages ?? []) {
        bodies.push(m.Body as string);
        seqs.push(BigInt(m.Attributes?.SequenceNumber ?? '0'));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      }
    }
    for (const sender of ['p', 'q', 'r']) {
      assert.deepEqual(bodies.filter((b) => b.startsWith(sender)), Array.from({ length: 20 }, (_, i) => `${sender}:${i}`));
    }
    for (let i = 1; i < seqs.length; i++) assert.ok((seqs[i] as bigint) > (seqs[i - 1] as bigint), 'sequence numbers increase');
  });

  test('a restart loses nothing: in-flight messages come back after their visibility timeout, deletes stay deleted, dedup ids survive', async () => {
    const url = await create('durable', { VisibilityTimeout: '2' });
    const fifo = await create('durable.fifo', { FifoQueue: 'true' });
    for (const body of ['keep-1', 'keep-2', 'gone']) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const sentFifo = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'f', MessageGroupId: 'g', MessageDeduplicationId: 'once' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    assert.equal(received.Messages?.length, 3);
    const gone = received.Messages?.find((m) => m.Body === 'gone');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: gone?.ReceiptHandle }));
    await server.restart();
    sqs = sqsClient(server.url);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined, 'still in flight after restart');
    const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 5, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    const more = back.Messages?.length === 2 ? [] : (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }))).Messages ?? [];
    const bodies = [...(back.Messages ?? []), ...more].map((m) => m.Body).sort();
    assert.deepEqual(bodies, ['keep-1', 'keep-2']);
    assert.equal(back.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '2');
    const dup = await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'f', MessageGroupId: 'g', MessageDeduplicationId: 'once' }));
    assert.equal(dup.MessageId, sentFifo.MessageId);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: fifo, AttributeNames: ['ApproximateNumberOfMessages'] }));
    assert.equal(Attributes?.ApproximateNumberOfMessages, '1');
  });
});
