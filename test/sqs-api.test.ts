import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand, DeleteMessageCommand,
  DeleteQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListDeadLetterSourceQueuesCommand, ListQueuesCommand, ListQueueTagsCommand,
  PurgeQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand, TagQueueCommand,
  UntagQueueCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient, sqsQuery } from './support/sqs.js';
import { rejectsWith } from './support/aws-errors.js';

const ACCOUNT = '000000000000';

describe('sqs api', () => {
  let server: TestServer;
  let sqs: SQSClient;
  before(async () => {
    server = await startTestServer();
    sqs = sqsClient(server.url);
  });
  after(() => server.stop());

  const create = async (name: string, Attributes?: Record<string, string>) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl as string;

  test('CreateQueue answers a path-style URL on the endpoint used and is idempotent with equal attributes', async () => {
    const url = await create('plain', { VisibilityTimeout: '40' });
    assert.equal(url, `${server.url}/${ACCOUNT}/plain`);
    assert.equal(await create('plain', { VisibilityTimeout: '40' }), url);
    await rejectsWith(create('plain', { VisibilityTimeout: '41' }), 'QueueNameExists', 400, 'A queue already exists with the same name and a different value for attribute VisibilityTimeout');
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'plain' }))).QueueUrl, url);
    await rejectsWith(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })), 'QueueDoesNotExist', 400, 'The specified queue does not exist.');
    await rejectsWith(create('bad name!'), 'InvalidParameterValue', 400, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    await rejectsWith(create('x', { Bogus: '1' }), 'InvalidAttributeName', 400, 'Unknown Attribute Bogus.');
    await rejectsWith(create('x', { VisibilityTimeout: '99999' }), 'InvalidAttributeValue', 400, 'Invalid value for the parameter VisibilityTimeout.');
  });

  test('host-style queue URLs are answered too', async () => {
    const url = await create('hoststyle');
    const hostStyle = url.replace(/^http:\/\/[^/]+/, `http://sqs.us-east-1.localhost:${server.lambkin.port}`);
    await sqs.send(new SendMessageCommand({ QueueUrl: hostStyle, MessageBody: 'hi' }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    assert.equal(got.Messages?.[0]?.Body, 'hi');
  });

  test('ListQueues filters by prefix and pages with MaxResults/NextToken', async () => {
    for (const n of ['lq-a', 'lq-b', 'lq-c']) await create(n);
    const all = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'lq-' }));
    assert.deepEqual(all.QueueUrls?.map((u) => u.split('/').pop()), ['lq-a', 'lq-b', 'lq-c']);
    assert.equal(all.NextToken, undefined);
    const first = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'lq-', MaxResults: 2 }));
    assert.equal(first.QueueUrls?.length, 2);
    assert.ok(first.NextToken);
    const second = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'lq-', MaxResults: 2, NextToken: first.NextToken }));
    assert.deepEqual(second.QueueUrls?.map((u) => u.split('/').pop()), ['lq-c']);
    assert.equal(second.NextToken, undefined);
  });

  test('attributes: defaults, counts, set, and the read-only ones', async () => {
    const url = await create('attrs');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b', DelaySeconds: 60 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'c' }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1 }));
    const { Attributes: a } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    assert.equal(a?.QueueArn, `arn:aws:sqs:us-east-1:${ACCOUNT}:attrs`);
    assert.equal(a?.ApproximateNumberOfMessages, '1');
    assert.equal(a?.ApproximateNumberOfMessagesNotVisible, '1');
    assert.equal(a?.ApproximateNumberOfMessagesDelayed, '1');
    assert.equal(a?.VisibilityTimeout, '30');
    assert.equal(a?.MaximumMessageSize, '1048576');
    assert.equal(a?.MessageRetentionPeriod, '345600');
    assert.equal(a?.DelaySeconds, '0');
    assert.equal(a?.ReceiveMessageWaitTimeSeconds, '0');
    assert.match(a?.CreatedTimestamp ?? '', /^\d{10}$/);
    assert.equal(a?.FifoQueue, undefined);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '5', DelaySeconds: '1' } }));
    const { Attributes: b } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'DelaySeconds'] }));
    assert.deepEqual(b, { VisibilityTimeout: '5', DelaySeconds: '1' });
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { QueueArn: 'x' } })), 'InvalidAttributeName', 400);
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { ContentBasedDeduplication: 'true' } })), 'InvalidAttributeName', 400);
  });

  test('send/receive/delete with message attributes and the digests AWS computes', async () => {
    const url = await create('msgs');
    const sent = await sqs.send(new SendMessageCommand({
      QueueUrl: url, MessageBody: 'hello', MessageAttributes: { timestamp: { DataType: 'Number', StringValue: '1493147359900' } },
    }));
    assert.equal(sent.MD5OfMessageBody, '5d41402abc4b2a76b9719d911017c592');
    assert.equal(sent.MD5OfMessageAttributes, '235c5c510d26fb653d073faed50ae77c');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bin', MessageAttributes: { b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } } }));
    const got = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
    }));
    assert.equal(got.Messages?.length, 2);
    const [first, second] = got.Messages ?? [];
    assert.equal(first?.Body, 'hello');
    assert.equal(first?.MessageId, sent.MessageId);
    assert.equal(first?.MD5OfMessageAttributes, '235c5c510d26fb653d073faed50ae77c');
    assert.deepEqual(first?.MessageAttributes, { timestamp: { DataType: 'Number', StringValue: '1493147359900' } });
    assert.equal(first?.Attributes?.ApproximateReceiveCount, '1');
    assert.equal(first?.Attributes?.SenderId, ACCOUNT);
    assert.match(first?.Attributes?.SentTimestamp ?? '', /^\d{13}$/);
    assert.match(first?.Attributes?.ApproximateFirstReceiveTimestamp ?? '', /^\d{13}$/);
    assert.deepEqual([...(second?.MessageAttributes?.b?.BinaryValue ?? [])], [1, 2, 3]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first?.ReceiptHandle }));
    const batch = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', ReceiptHandle: second?.ReceiptHandle }, { Id: 'b', ReceiptHandle: 'garbage!' }] }));
    assert.deepEqual(batch.Successful?.map((s) => s.Id), ['a']);
    assert.equal(batch.Failed?.[0]?.Code, 'ReceiptHandleIsInvalid');
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    assert.deepEqual(Attributes, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    await rejectsWith(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'nope' })), 'ReceiptHandleIsInvalid', 400, 'The input receipt handle "nope" is not a valid receipt handle.');
  });

  test('send validation: size limit, empty body, invalid characters, bad parameters', async () => {
    const url = await create('limits', { MaximumMessageSize: '1024' });
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1025) })), 'InvalidParameterValue', 400,
      'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '' })), 'MissingParameter', 400);
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a\u0001b' })), 'InvalidMessageContents', 400);
    await rejectsWith(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })), 'InvalidParameterValue', 400,
      'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
    const big = await create('big');
    await sqs.send(new SendMessageCommand({ QueueUrl: big, MessageBody: 'x'.repeat(1_048_576) }));
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl: big, MessageBody: 'x'.repeat(1_048_577) })), 'InvalidParameterValue', 400);
  });

  test('SendMessageBatch: per-entry results and batch-level errors', async () => {
    const url = await create('batch');
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: '1', MessageBody: 'one' }, { Id: '2', MessageBody: 'two', DelaySeconds: 1000 }] }));
    assert.deepEqual(out.Successful?.map((s) => [s.Id, s.MD5OfMessageBody]), [['1', 'f97c5d29941bfb1b2fdab0874906ab82']]);
    assert.equal(out.Failed?.[0]?.Id, '2');
    assert.equal(out.Failed?.[0]?.SenderFault, true);
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })), 'EmptyBatchRequest', 400);
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' })) })),
      'TooManyEntriesInBatchRequest', 400, 'Maximum number of entries per request are 10. You have sent 11.');
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x' }, { Id: 'a', MessageBody: 'y' }] })),
      'BatchEntryIdsNotDistinct', 400, 'Id a repeated.');
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a b', MessageBody: 'x' }] })), 'InvalidBatchEntryId', 400);
  });

  test('visibility timeout hides a received message; ChangeMessageVisibility(Batch) releases it', async () => {
    const url = await create('vis');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'v' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 30 }));
    const handle = first.Messages?.[0]?.ReceiptHandle as string;
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 }));
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.equal(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '2');
    const batch = await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: [{ Id: 'x', ReceiptHandle: again.Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 0 }] }));
    assert.deepEqual(batch.Successful?.map((s) => s.Id), ['x']);
    const shortVisibility = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 1 }));
    assert.ok(shortVisibility.Messages?.[0]);
    // Long poll: the message comes back when its 1 s of invisibility ends, not when the 20 s wait
    // does (a generous bound: half the wait).
    const started = Date.now();
    const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    assert.equal(back.Messages?.[0]?.Body, 'v');
    assert.ok(Date.now() - started < 10_000, `the long poll took ${Date.now() - started} ms of its 20 s`);
  });

  test('VisibilityTimeout 0 with MaxNumberOfMessages > 1 hands each message out once per receive', async () => {
    // Regression: a message made visible again at once by the receive itself was taken again by
    // the same receive, so one response held it several times.
    for (const fifo of [false, true]) {
      const url = await create(fifo ? 'vis0.fifo' : 'vis0', fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : undefined);
      const bodies = ['a', 'b', 'c'];
      for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: fifo ? 'g' : undefined }));
      for (let i = 0; i < 2; i++) {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
        const ids = got.Messages?.map((m) => m.MessageId) ?? [];
        assert.equal(new Set(ids).size, ids.length, `${fifo ? 'fifo' : 'standard'} receive ${i + 1} repeated a message: ${ids.join(',')}`);
        assert.deepEqual(got.Messages?.map((m) => m.Body).sort(), bodies, `${fifo ? 'fifo' : 'standard'} receive ${i + 1}`);
        // Visible again at once: the next receive gets every message, each received once more.
        assert.deepEqual(got.Messages?.map((m) => m.Attributes?.ApproximateReceiveCount), bodies.map(() => String(i + 1)));
      }
    }
  });

  test('long polling returns as soon as a message is sent', async () => {
    const url = await create('longpoll');
    const pending = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 200));
    const sentAt = Date.now();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake' }));
    assert.equal((await pending).Messages?.[0]?.Body, 'wake');
    // Woken by the send, not by the end of its 20 s wait (a generous bound: half the wait).
    assert.ok(Date.now() - sentAt < 10_000, `the long poll answered ${Date.now() - sentAt} ms after the send`);
    const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    assert.equal(empty.Messages, undefined);
  });

  test('redrive: after maxReceiveCount receives the message moves to the DLQ', async () => {
    const dlq = await create('dlq');
    const dlqArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:dlq`;
    const src = await create('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) });
    await sqs.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) assert.ok((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src, VisibilityTimeout: 0 }))).Messages?.[0]);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: src }))).Messages, undefined);
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MessageSystemAttributeNames: ['All'] }));
    assert.equal(dead.Messages?.[0]?.Body, 'poison');
    assert.equal(dead.Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn, `arn:aws:sqs:us-east-1:${ACCOUNT}:src`);
    const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    assert.deepEqual(sources.queueUrls, [src]);
    await rejectsWith(create('src2', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `${dlqArn}-missing`, maxReceiveCount: 2 }) }), 'InvalidParameterValue', 400,
      /Dead letter target does not exist/);
  });

  test('RedriveAllowPolicy denyAll refuses a source queue', async () => {
    await create('closed-dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) });
    await rejectsWith(create('wants-dlq', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:closed-dlq`, maxReceiveCount: 1 }) }),
      'InvalidParameterValue', 400);
  });

  test('tags, purge and delete', async () => {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'tagged', tags: { a: '1' } }))).QueueUrl as string;
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { b: '2' } }));
    await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['a'] }));
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { b: '2' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    await rejectsWith(sqs.send(new PurgeQueueCommand({ QueueUrl: url })), 'PurgeQueueInProgress', 403, 'Only one PurgeQueue operation on tagged is allowed every 60 seconds.');
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })), 'QueueDoesNotExist', 400);
  });

  test('JSON errors carry __type and the x-amzn-query-error header', async () => {
    const res = await fetchJson(server.url, 'GetQueueUrl', { QueueName: 'missing' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-query-error'), 'AWS.SimpleQueueService.NonExistentQueue;Sender');
    assert.deepEqual(await res.json(), { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
  });

  test('query protocol: form requests get XML, on / and on the queue URL path', async () => {
    const created = await sqsQuery(server.url, { Action: 'CreateQueue', QueueName: 'q-xml', 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '45' });
    assert.equal(created.status, 200);
    assert.match(created.body, /<CreateQueueResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><CreateQueueResult><QueueUrl>http:\/\/127\.0\.0\.1:\d+\/000000000000\/q-xml<\/QueueUrl><\/CreateQueueResult><ResponseMetadata><RequestId>/);
    const sent = await sqsQuery(server.url, {
      Action: 'SendMessage', MessageBody: 'x<y', 'MessageAttribute.1.Name': 'timestamp', 'MessageAttribute.1.Value.DataType': 'Number',
      'MessageAttribute.1.Value.StringValue': '1493147359900',
    }, `/${ACCOUNT}/q-xml`);
    assert.match(sent.body, /<MD5OfMessageAttributes>235c5c510d26fb653d073faed50ae77c<\/MD5OfMessageAttributes>/);
    const received = await sqsQuery(server.url, { Action: 'ReceiveMessage', QueueUrl: `${server.url}/${ACCOUNT}/q-xml`, 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All' });
    assert.match(received.body, /<Message><MessageId>[^<]+<\/MessageId><ReceiptHandle>[^<]+<\/ReceiptHandle><MD5OfBody>[0-9a-f]{32}<\/MD5OfBody><Body>x&lt;y<\/Body>/);
    assert.match(received.body, /<Attribute><Name>ApproximateReceiveCount<\/Name><Value>1<\/Value><\/Attribute>/);
    assert.match(received.body, /<MessageAttribute><Name>timestamp<\/Name><Value><StringValue>1493147359900<\/StringValue><DataType>Number<\/DataType><\/Value><\/MessageAttribute>/);
    const attrs = await sqsQuery(server.url, { Action: 'GetQueueAttributes', QueueUrl: `${server.url}/${ACCOUNT}/q-xml`, 'AttributeName.1': 'VisibilityTimeout' });
    assert.match(attrs.body, /<GetQueueAttributesResult><Attribute><Name>VisibilityTimeout<\/Name><Value>45<\/Value><\/Attribute><\/GetQueueAttributesResult>/);
    const missing = await sqsQuery(server.url, { Action: 'GetQueueUrl', QueueName: 'nope' });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /<ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>The specified queue does not exist.<\/Message>/);
    const batch = await sqsQuery(server.url, {
      Action: 'SendMessageBatch', QueueUrl: `${server.url}/${ACCOUNT}/q-xml`,
      'SendMessageBatchRequestEntry.1.Id': 'a', 'SendMessageBatchRequestEntry.1.MessageBody': 'one',
      'SendMessageBatchRequestEntry.2.Id': 'b', 'SendMessageBatchRequestEntry.2.MessageBody': '',
    });
    assert.match(batch.body, /<SendMessageBatchResultEntry><Id>a<\/Id><MessageId>/);
    assert.match(batch.body, /<BatchResultErrorEntry><Id>b<\/Id><SenderFault>true<\/SenderFault><Code>MissingParameter<\/Code>/);
  });
});

async function fetchJson(url: string, operation: string, input: unknown): Promise<Response> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { Hash } = await import('@smithy/hash-node');
  const { HttpRequest } = await import('@smithy/protocol-http');
  const u = new URL(url);
  const body = JSON.stringify(input);
  const signed = await new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'sqs', sha256: Hash.bind(null, 'sha256') }).sign(
    new HttpRequest({ method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/', headers: { host: u.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}` }, body }),
  );
  const headers = { ...signed.headers };
  delete headers.host;
  return fetch(`${url}/`, { method: 'POST', headers, body });
}
