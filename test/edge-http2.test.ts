import assert from 'node:assert/strict';
import { Agent, request as http1Request } from 'node:http';
import { connect as http2Connect, type ClientHttp2Session } from 'node:http2';
import { connect as tcpConnect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { waitForStatus } from './support/kinesis.js';
import { startTestServer, type TestServer } from './support/server.js';

interface Http2Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on an HTTP/2 session, answered in full. */
function http2Exchange(session: ClientHttp2Session, headers: Record<string, string>, body?: string): Promise<Http2Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers);
    const chunks: Buffer[] = [];
    let answerHeaders: Http2Answer['headers'] = {};
    stream.on('response', (h) => (answerHeaders = h));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve({ status: Number(answerHeaders[':status']), headers: answerHeaders, body: Buffer.concat(chunks).toString('utf8') }));
    stream.on('error', reject);
    stream.end(body);
  });
}

/** A Kinesis awsJson call signed as the SDK signs it, as HTTP/2 headers. */
async function signedKinesisHeaders(url: string, target: string, body: string): Promise<Record<string, string>> {
  const { hostname, port, host } = new URL(url);
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'kinesis', sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/',
    headers: { host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Kinesis_20131202.${target}` },
    body,
  }));
  const { host: _host, ...rest } = signed.headers;
  // HTTP/2 carries the host as :authority; the signature still covers `host`.
  return { ':method': 'POST', ':path': '/', ':authority': host, ...rest };
}

describe('edge: HTTP/2 with prior knowledge (h2c) on the one port', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ LAMBKIN_PROVISIONING_DELAY_MS: '20' });
  });
  after(() => server.stop());

  test("the SDK's Kinesis client with its default (HTTP/2) handler creates, writes and reads a stream", async () => {
    const kinesis = new KinesisClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'h2-default', ShardCount: 1 }));
      await waitForStatus(kinesis, 'h2-default');
      const put = await kinesis.send(new PutRecordCommand({ StreamName: 'h2-default', PartitionKey: 'k', Data: Buffer.from('over h2') }));
      const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: 'h2-default' }));
      const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'h2-default', ShardId: Shards![0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      assert.equal(Records?.length, 1);
      assert.equal(Records![0]!.SequenceNumber, put.SequenceNumber);
      assert.equal(Buffer.from(Records![0]!.Data!).toString(), 'over h2');
    } finally {
      kinesis.destroy();
    }
  });

  test('a raw HTTP/2 client gets signed answers, AWS errors and request ids on one session', async () => {
    const session = http2Connect(server.url);
    try {
      const listBody = '{}';
      const listed = await http2Exchange(session, await signedKinesisHeaders(server.url, 'ListStreams', listBody), listBody);
      assert.equal(listed.status, 200, listed.body);
      assert.match(String(listed.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
      assert.deepEqual(JSON.parse(listed.body).StreamNames, ['h2-default']);

      const missingBody = JSON.stringify({ StreamName: 'nope' });
      const missing = await http2Exchange(session, await signedKinesisHeaders(server.url, 'DescribeStreamSummary', missingBody), missingBody);
      assert.equal(missing.status, 400);
      assert.equal(JSON.parse(missing.body).__type, 'ResourceNotFoundException');

      const unsigned = await http2Exchange(session, {
        ':method': 'POST', ':path': '/', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.ListStreams',
      }, '{}');
      assert.equal(unsigned.status, 403);
      assert.equal(JSON.parse(unsigned.body).__type, 'MissingAuthenticationTokenException');

      const health = await http2Exchange(session, { ':method': 'GET', ':path': '/_lambkin/health' });
      assert.equal(health.status, 200);
      assert.ok((JSON.parse(health.body).services as string[]).includes('kinesis'));
    } finally {
      session.close();
    }
  });

  test('HTTP/1.1 keep-alive clients keep one connection across requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () => new Promise<{ status: number; reused: boolean; body: string }>((resolve, reject) => {
      const req = http1Request(`${server.url}/_lambkin/health`, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end();
    });
    try {
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await get());
      assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200]);
      assert.deepEqual(answers.map((a) => a.reused), [false, true, true, true, true]);
    } finally {
      agent.destroy();
    }
  });

  test('an HTTP/1.1 request whose first packet is one byte ("P", as HTTP/2 starts) is still HTTP/1.1', async () => {
    const { hostname, port } = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = tcpConnect(Number(port), hostname, () => {
        socket.write('P');
        setTimeout(() => socket.end('OST /_lambkin/nothing-here HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'), 50);
      });
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 \d{3} /);
  });
});
