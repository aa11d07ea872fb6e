import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { snsClient } from './sns-support.js';

describe('SNS Publish and PublishBatch', () => {
  let server: TestServer;
  let sns: SNSClient;
  let topicArn: string;
  let fifoArn: string;
  before(async () => {
    server = await startTestServer();
    sns = snsClient(server);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'pub' }))).TopicArn!;
    fifoArn = (await sns.send(new CreateTopicCommand({ Name: 'pub.fifo', Attributes: { FifoTopic: 'true' } }))).TopicArn!;
  });
  after(() => server.stop());

  test('Publish by TopicArn or TargetArn returns a MessageId', async () => {
    const a = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'hello', Subject: 'Greeting' }));
    assert.match(a.MessageId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(a.SequenceNumber, undefined);
    const b = await sns.send(new PublishCommand({ TargetArn: topicArn, Message: 'hello' }));
    assert.notEqual(b.MessageId, a.MessageId);
  });

  test('Publish validation errors are AWS’s', async () => {
    await rejectsWith(sns.send(new PublishCommand({ TopicArn: topicArn, Message: '' })), 'InvalidParameterException', 400, 'Invalid parameter: Empty message');
    await rejectsWith(sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x'.repeat(262_145) })), 'InvalidParameterException', 400, 'Invalid parameter: Message too long');
    await rejectsWith(sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', Subject: 'line\nbreak' })), 'InvalidParameterException', 400, 'Invalid parameter: Subject');
    await rejectsWith(sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', Subject: 's'.repeat(101) })), 'InvalidParameterException', 400, 'Invalid parameter: Subject');
    await rejectsWith(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{"sqs":"x"}', MessageStructure: 'json' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
    await rejectsWith(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'not json', MessageStructure: 'json' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
    await rejectsWith(sns.send(new PublishCommand({ TopicArn: `${topicArn}-missing`, Message: 'x' })), 'NotFoundException', 404, 'Topic does not exist');
    await rejectsWith(
      sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000', Message: 'x' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 5',
    );
    await rejectsWith(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', MessageDeduplicationId: 'd' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    );
  });

  test('message attribute validation', async () => {
    const send = (MessageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>) =>
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'x', MessageAttributes }));
    await send({ s: { DataType: 'String', StringValue: 'v' }, n: { DataType: 'Number', StringValue: '12.5' }, b: { DataType: 'Binary', BinaryValue: Buffer.from('hi') } });
    await rejectsWith(send({ attr1: { DataType: 'String', StringValue: '' } }), 'InvalidParameterValueException', 400, "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.");
    await rejectsWith(send({ attr1: { DataType: 'Binary', StringValue: 'x' } }), 'InvalidParameterValueException', 400, "The message attribute 'attr1' with type 'Binary' must use field 'Binary'.");
    await rejectsWith(send({ attr1: { DataType: 'String', BinaryValue: Buffer.from('x') } }), 'InvalidParameterValueException', 400, "The message attribute 'attr1' with type 'String' must use field 'String'.");
    await rejectsWith(
      send({ attr1: { DataType: 'Integer', StringValue: '1' } }),
      'InvalidParameterValueException',
      400,
      "The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    );
    await rejectsWith(
      send({ 'a^b': { DataType: 'String', StringValue: '1' } }),
      'InvalidParameterValueException',
      400,
      "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
    );
    await rejectsWith(send({ '.a': { DataType: 'String', StringValue: '1' } }), 'InvalidParameterValueException', 400, "Invalid message attribute name starting with character '.' was found.");
    await rejectsWith(send({ 'a.': { DataType: 'String', StringValue: '1' } }), 'InvalidParameterValueException', 400, "Invalid message attribute name ending with character '.' was found.");
    await rejectsWith(send({ 'a..b': { DataType: 'String', StringValue: '1' } }), 'InvalidParameterValueException', 400, "Message attribute name can not have successive '.' character.");
  });

  test('FIFO: MessageGroupId required, deduplication id or content-based, sequence numbers increase', async () => {
    await rejectsWith(
      sns.send(new PublishCommand({ TopicArn: fifoArn, Message: 'x', MessageDeduplicationId: 'd' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    );
    await rejectsWith(
      sns.send(new PublishCommand({ TopicArn: fifoArn, Message: 'x', MessageGroupId: 'g' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    const one = await sns.send(new PublishCommand({ TopicArn: fifoArn, Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    const two = await sns.send(new PublishCommand({ TopicArn: fifoArn, Message: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'd2' }));
    assert.match(one.SequenceNumber ?? '', /^\d{20}$/);
    assert.ok(BigInt(two.SequenceNumber!) > BigInt(one.SequenceNumber!));
    // Same deduplication id within five minutes: accepted, same message, nothing new delivered.
    const dup = await sns.send(new PublishCommand({ TopicArn: fifoArn, Message: 'z', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }));
    assert.equal(dup.MessageId, one.MessageId);
    assert.equal(dup.SequenceNumber, one.SequenceNumber);

    const cbd = (await sns.send(new CreateTopicCommand({ Name: 'cbd.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }))).TopicArn!;
    const c1 = await sns.send(new PublishCommand({ TopicArn: cbd, Message: 'same', MessageGroupId: 'g' }));
    const c2 = await sns.send(new PublishCommand({ TopicArn: cbd, Message: 'same', MessageGroupId: 'g' }));
    const c3 = await sns.send(new PublishCommand({ TopicArn: cbd, Message: 'other', MessageGroupId: 'g' }));
    assert.equal(c2.MessageId, c1.MessageId);
    assert.notEqual(c3.MessageId, c1.MessageId);
  });

  test('PublishBatch: successes and per-entry failures', async () => {
    const r = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          { Id: 'ok-1', Message: 'a' },
          { Id: 'empty', Message: '' },
          { Id: 'ok_2', Message: 'b', Subject: 's' },
        ],
      }),
    );
    assert.deepEqual(r.Successful?.map((s) => s.Id), ['ok-1', 'ok_2']);
    assert.ok(r.Successful?.every((s) => /^[0-9a-f-]{36}$/.test(s.MessageId ?? '')));
    assert.deepEqual(r.Failed, [{ Id: 'empty', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }]);

    const fifo = await sns.send(
      new PublishBatchCommand({
        TopicArn: fifoArn,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'a', MessageGroupId: 'g', MessageDeduplicationId: 'b1' },
          { Id: 'b', Message: 'b', MessageGroupId: 'g', MessageDeduplicationId: 'b2' },
        ],
      }),
    );
    assert.equal(fifo.Successful?.length, 2);
    assert.ok(BigInt(fifo.Successful![1]!.SequenceNumber!) > BigInt(fifo.Successful![0]!.SequenceNumber!));
  });

  test('PublishBatch request errors', async () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, Message: 'm' }));
    await rejectsWith(
      sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries(11) })),
      'TooManyEntriesInBatchRequestException',
      400,
      'The batch request contains more entries than permissible.',
    );
    await rejectsWith(
      sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [{ Id: 'x', Message: 'a' }, { Id: 'x', Message: 'b' }] })),
      'BatchEntryIdsNotDistinctException',
      400,
      'Two or more batch entries in the request have the same Id.',
    );
    await rejectsWith(
      sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [{ Id: 'message.id', Message: 'a' }] })),
      'InvalidBatchEntryIdException',
      400,
      'The Id of a batch entry in the batch request contains an impermissible character: message.id',
    );
    await rejectsWith(
      sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [{ Id: 'a'.repeat(81), Message: 'a' }] })),
      'InvalidBatchEntryIdException',
      400,
      `The Id of a batch entry in the batch request is too long: ${'a'.repeat(81)}`,
    );
    await rejectsWith(
      sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x'.repeat(200_000) }, { Id: 'b', Message: 'x'.repeat(100_000) }] })),
      'BatchRequestTooLongException',
      400,
      'The length of all the messages put together is more than the limit.',
    );
    await rejectsWith(sns.send(new PublishBatchCommand({ TopicArn: `${topicArn}-nope`, PublishBatchRequestEntries: entries(1) })), 'NotFoundException', 404);
  });
});
