import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import cbor from 'cbor';
import { ACCOUNT } from './support/kinesis.js';
import { startTestServer, type TestServer } from './support/server.js';

/** One Kinesis call in AWS's CBOR, signed as the Java SDK signs it; the answer decoded. */
async function cborCall(baseUrl: string, operation: string, input: Record<string, unknown>): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown>; raw: Buffer }> {
  const url = new URL(baseUrl);
  const body = cbor.encode(input);
  const unsigned = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-cbor-1.1', 'x-amz-target': `Kinesis_20131202.${operation}` },
    body,
  });
  const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'kinesis', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(unsigned);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: url.hostname, port: url.port, method: 'POST', path: '/', headers: signed.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: cbor.decodeFirstSync(raw) as Record<string, unknown>, raw });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Kinesis in CBOR (application/x-amz-cbor-1.1)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('create, put a byte string, read it back: blobs are byte strings, timestamps tag 1 over epoch ms', async () => {
    const created = await cborCall(server.url, 'CreateStream', { StreamName: 'cbor', ShardCount: 1 });
    assert.equal(created.status, 200);
    assert.equal(created.headers['content-type'], 'application/x-amz-cbor-1.1');
    for (let i = 0; i < 100; i++) {
      const d = await cborCall(server.url, 'DescribeStreamSummary', { StreamName: 'cbor' });
      if ((d.body.StreamDescriptionSummary as { StreamStatus: string }).StreamStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const payload = Buffer.from([0, 1, 2, 250, 255]);
    const before = Date.now();
    const put = await cborCall(server.url, 'PutRecord', { StreamName: 'cbor', PartitionKey: 'pk', Data: payload });
    assert.equal(put.status, 200);
    assert.equal(put.body.ShardId, 'shardId-000000000000');
    assert.match(String(put.body.SequenceNumber), /^\d{56}$/);

    // The Java SDK sends AT_TIMESTAMP as tag 1 over epoch milliseconds.
    const it = await cborCall(server.url, 'GetShardIterator', { StreamName: 'cbor', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new cbor.Tagged(1, before - 1000) });
    assert.equal(it.status, 200, JSON.stringify(it.body));
    const got = await cborCall(server.url, 'GetRecords', { ShardIterator: it.body.ShardIterator });
    assert.equal(got.status, 200);
    const records = got.body.Records as Array<Record<string, unknown>>;
    assert.equal(records.length, 1);
    assert.ok(records[0]!.Data instanceof Uint8Array, 'Data is a CBOR byte string');
    assert.deepEqual(Buffer.from(records[0]!.Data as Uint8Array), payload);
    assert.equal(records[0]!.PartitionKey, 'pk');
    // Tag 1 (0xc1) followed by an integer of epoch milliseconds, as the service sends it.
    const tagAt = got.raw.indexOf(Buffer.from('ApproximateArrivalTimestamp')) + 'ApproximateArrivalTimestamp'.length;
    assert.equal(got.raw[tagAt], 0xc1);
    const arrival = cbor.decodeFirstSync(got.raw.subarray(tagAt + 1, tagAt + 10)) as number;
    assert.ok(Number.isInteger(arrival) && arrival >= before && arrival <= Date.now(), `arrival ${arrival} is epoch ms`);
    assert.equal(got.body.MillisBehindLatest, 0);
    assert.equal(typeof got.body.NextShardIterator, 'string');
  });

  test('errors come back in CBOR with __type and message', async () => {
    const missing = await cborCall(server.url, 'DescribeStream', { StreamName: 'nope' });
    assert.equal(missing.status, 400);
    assert.equal(missing.headers['content-type'], 'application/x-amz-cbor-1.1');
    assert.equal(missing.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    assert.deepEqual(missing.body, { __type: 'ResourceNotFoundException', message: `Stream nope under account ${ACCOUNT} not found.` });
  });
});
