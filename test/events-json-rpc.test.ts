import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AwsError } from '../src/contracts/aws-error.js';
import type { RequestContext } from '../src/contracts/request-context.js';
import { jsonRpcError, JsonRpcRouter, parseJsonRpc, JsonRpcBodyInvalid } from '../src/protocols/json-rpc.js';

function ctx(target: string | undefined, body: string): RequestContext {
  return {
    requestId: 'r',
    method: 'POST',
    rawPath: '/',
    query: new URLSearchParams(),
    headers: target ? { 'x-amz-target': target } : {},
    body: Buffer.from(body),
    accountId: '000000000000',
    region: 'us-east-1',
    accessKeyId: 'test',
    endpoint: { protocol: 'http', hostname: '127.0.0.1', port: 1 },
    sourceIp: '127.0.0.1',
  };
}

describe('awsJson protocol (json-rpc.ts)', () => {
  const router = new JsonRpcRouter(
    { targetPrefix: 'AWSEvents', jsonVersion: '1.1', errorTypeHeader: true },
    {
      async Echo(input) {
        return { got: input };
      },
      async Fail() {
        throw new AwsError('ResourceNotFoundException', 400, 'nope', { type: null });
      },
    },
  );

  test('dispatches by X-Amz-Target and answers JSON with the protocol content type', async () => {
    const res = await router.handle(ctx('AWSEvents.Echo', '{"a":1}'));
    assert.equal(res.status, 200);
    assert.equal(res.headers?.['content-type'], 'application/x-amz-json-1.1');
    assert.deepEqual(JSON.parse(String(res.body)), { got: { a: 1 } });
    assert.deepEqual(JSON.parse(String((await router.handle(ctx('AWSEvents.Echo', ''))).body)), { got: {} });
  });

  test('unknown operations, other prefixes and bodies that are not objects are rejected', async () => {
    await assert.rejects(router.handle(ctx('AWSEvents.Nope', '{}')), (e: AwsError) => e.code === 'UnknownOperationException' && e.status === 400);
    await assert.rejects(router.handle(ctx('AmazonSQS.Echo', '{}')), (e: AwsError) => e.code === 'UnknownOperationException');
    await assert.rejects(router.handle(ctx('AWSEvents.Echo', '[1]')), (e: AwsError) => e.code === 'SerializationException');
    await assert.rejects(router.handle(ctx('AWSEvents.Echo', '{bad')), (e: AwsError) => e.code === 'SerializationException');
  });

  test('errors are {__type, message} with x-amzn-ErrorType', async () => {
    const err = await router.handle(ctx('AWSEvents.Fail', '{}')).catch((e: AwsError) => e);
    const res = router.serializeError(err as AwsError);
    assert.equal(res.status, 400);
    assert.equal(res.headers?.['x-amzn-ErrorType'], 'ResourceNotFoundException');
    assert.deepEqual(JSON.parse(String(res.body)), { __type: 'ResourceNotFoundException', message: 'nope' });
  });

  test('the SQS dialect: shape-id __type, always `message`, no x-amzn-ErrorType, the error’s own headers kept', () => {
    const sqs = { targetPrefix: 'AmazonSQS', jsonVersion: '1.0', errorNamespace: 'com.amazonaws.sqs', errorTypeHeader: false, messageKey: 'message' } as const;
    const error = new AwsError('QueueDoesNotExist', 400, 'The specified queue does not exist.', {
      messageKey: 'Message',
      headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
    });
    const res = jsonRpcError(sqs, error);
    assert.equal(res.status, 400);
    assert.deepEqual(res.headers, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' });
    assert.equal(res.body, '{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}');
  });

  test('parseJsonRpc takes the operation after the first dot and refuses bodies that are not objects', () => {
    assert.deepEqual(parseJsonRpc(ctx('AmazonSQS.SendMessage', '{"a":1}')), { operation: 'SendMessage', input: { a: 1 } });
    assert.deepEqual(parseJsonRpc(ctx('AmazonSQS.ListQueues', '')), { operation: 'ListQueues', input: {} });
    assert.throws(() => parseJsonRpc(ctx('AmazonSQS.SendMessage', '[]')), JsonRpcBodyInvalid);
    assert.throws(() => parseJsonRpc(ctx('AmazonSQS.SendMessage', '{bad')), JsonRpcBodyInvalid);
  });
});
