import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip } from './support/cli.js';


const ENV = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };

describe('sqs with the AWS CLI and boto3', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  // Asynchronous on purpose: the server runs in this process, so a blocking exec would starve it.
  const run = promisify(execFile);
  const cli = async (...args: string[]) =>
    JSON.parse((await run('aws', ['--endpoint-url', server.url, '--output', 'json', 'sqs', ...args], { env: ENV, encoding: 'utf8' })).stdout || '{}') as Record<string, unknown>;

  test('aws sqs: create, send, receive, delete, attributes', { skip: awsCliSkip }, async () => {
    const { QueueUrl } = await cli('create-queue', '--queue-name', 'cli-q', '--attributes', 'VisibilityTimeout=7') as { QueueUrl: string };
    assert.equal(QueueUrl, `${server.url}/000000000000/cli-q`);
    const sent = await cli('send-message', '--queue-url', QueueUrl, '--message-body', 'from cli', '--message-attributes', '{"timestamp":{"DataType":"Number","StringValue":"1493147359900"}}');
    assert.equal(sent.MD5OfMessageAttributes, '235c5c510d26fb653d073faed50ae77c');
    const got = await cli('receive-message', '--queue-url', QueueUrl, '--attribute-names', 'All', '--message-attribute-names', 'All') as { Messages: Array<Record<string, unknown>> };
    assert.equal(got.Messages[0]?.Body, 'from cli');
    await cli('delete-message', '--queue-url', QueueUrl, '--receipt-handle', String(got.Messages[0]?.ReceiptHandle));
    const attrs = await cli('get-queue-attributes', '--queue-url', QueueUrl, '--attribute-names', 'VisibilityTimeout', 'ApproximateNumberOfMessagesNotVisible') as { Attributes: Record<string, string> };
    assert.deepEqual(attrs.Attributes, { VisibilityTimeout: '7', ApproximateNumberOfMessagesNotVisible: '0' });
    const list = await cli('list-queues', '--queue-name-prefix', 'cli-') as { QueueUrls: string[] };
    assert.deepEqual(list.QueueUrls, [QueueUrl]);
  });

  test('boto3: errors carry the query error code; send_message_batch and receive work', { skip: boto3Skip }, async () => {
    const script = `
import boto3, botocore, json, sys
c = boto3.client('sqs', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
out = {}
try:
    c.get_queue_url(QueueName='missing')
except botocore.exceptions.ClientError as e:
    out['code'] = e.response['Error']['Code']
    out['status'] = e.response['ResponseMetadata']['HTTPStatusCode']
url = c.create_queue(QueueName='boto-q.fifo', Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'true'})['QueueUrl']
r = c.send_message_batch(QueueUrl=url, Entries=[{'Id': str(i), 'MessageBody': 'm%d' % i, 'MessageGroupId': 'g'} for i in range(3)])
out['sent'] = len(r['Successful'])
m = c.receive_message(QueueUrl=url, MaxNumberOfMessages=10)['Messages']
out['bodies'] = [x['Body'] for x in m]
print(json.dumps(out))
`;
    const out = JSON.parse((await run('python3', ['-c', script, server.url], { encoding: 'utf8' })).stdout) as Record<string, unknown>;
    assert.equal(out.code, 'AWS.SimpleQueueService.NonExistentQueue');
    assert.equal(out.status, 400);
    assert.equal(out.sent, 3);
    assert.deepEqual(out.bodies, ['m0', 'm1', 'm2']);
  });
});
