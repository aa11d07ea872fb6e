import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { CreateFunctionCommand, GetProvisionedConcurrencyConfigCommand, InvokeCommand, PublishVersionCommand, PutProvisionedConcurrencyConfigCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { clusterListing, killClusterNode, removeClusterNode, startClusterNode, until, type ClusterListing, type ClusterNode } from './support/cluster-nodes.js';
import { createTestDatabase, NO_POSTGRES, postgresReachable, type TestDatabase } from './support/postgres.js';
import { makeZip, ROLE } from './support/zip.js';

const run = promisify(execFile);
const CLI = new URL('../../bin/lambkin.js', import.meta.url).pathname;
const skip = (await postgresReachable()) ? false : NO_POSTGRES;

function s3Of(node: ClusterNode): S3Client {
  return new S3Client({ endpoint: node.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/** Provisioned environments past Init of `name` on each member, as `listing` reports them. */
function provisionedOf(listing: ClusterListing, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of listing.members) {
    const n = Object.entries(m.provisioned ?? {}).filter(([key]) => key.split('/')[2] === name).reduce((sum, [, v]) => sum + v, 0);
    out.set(m.url, n);
  }
  return out;
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

/** A session cookie's `name=value`, from a Set-Cookie header. */
function cookieOf(res: Response): string {
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('cluster state: what one node stores, every node serves', { skip }, () => {
  let database: TestDatabase;
  let sql: pg.Client;
  const nodes: ClusterNode[] = [];

  before(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 3; i++) nodes.push(await startClusterNode(database));
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    for (const node of nodes) await removeClusterNode(node);
    await database?.drop();
  });

  test('an S3 object put on A is read whole and by range on B, copied on C, and gone everywhere once deleted', async () => {
    const [a, b, c] = nodes.map(s3Of) as [S3Client, S3Client, S3Client];
    await a.send(new CreateBucketCommand({ Bucket: 'shared' }));
    // Over one chunk row (1 MiB), so the body is streamed in several.
    const body = Buffer.alloc(1_300_000, 'x');
    body.write('head', 0);
    body.write('tail', body.length - 4);
    await a.send(new PutObjectCommand({ Bucket: 'shared', Key: 'big', Body: body }));
    const whole = Buffer.from(await (await b.send(new GetObjectCommand({ Bucket: 'shared', Key: 'big' }))).Body!.transformToByteArray());
    assert.ok(whole.equals(body));
    const ranged = await (await c.send(new GetObjectCommand({ Bucket: 'shared', Key: 'big', Range: `bytes=${body.length - 4}-` }))).Body!.transformToString();
    assert.equal(ranged, 'tail');
    await c.send(new CopyObjectCommand({ Bucket: 'shared', Key: 'copy', CopySource: 'shared/big' }));
    const copy = Buffer.from(await (await a.send(new GetObjectCommand({ Bucket: 'shared', Key: 'copy' }))).Body!.transformToByteArray());
    assert.ok(copy.equals(body));
    await a.send(new DeleteObjectCommand({ Bucket: 'shared', Key: 'big' }));
    await assert.rejects(b.send(new GetObjectCommand({ Bucket: 'shared', Key: 'big' })), { name: 'NoSuchKey' });
    // The deleted body's rows went with it; the copy's stay.
    const { rows } = await sql.query<{ n: string }>(`select count(*) as n from blobs where length(hex) = 32`);
    assert.equal(Number(rows[0]!.n), 1);
    for (const client of [a, b, c]) client.destroy();
  });

  test('usage records and log streams of invokes on all three nodes are all stored, with distinct ids; lambkin logs, events and bill --store read them', async () => {
    const [a] = nodes as [ClusterNode];
    await a.lambda.send(new CreateFunctionCommand({
      FunctionName: 'counted', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async (e) => { console.log("ran", e.tag); return e.tag; };' }) },
    }));
    await waitUntilFunctionActiveV2({ client: a.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'counted' });
    // Two at once per node: each node starts two environments (two log streams), all at once.
    const tags: string[] = [];
    await Promise.all(nodes.flatMap((node, n) => [0, 1].map(async (k) => {
      for (let round = 0; round < 3; round++) {
        const tag = `node${n}-env${k}-round${round}`;
        tags.push(tag);
        const out = await node.lambda.send(new InvokeCommand({ FunctionName: 'counted', Payload: Buffer.from(JSON.stringify({ tag })) }));
        assert.equal(out.FunctionError, undefined);
      }
    })));
    const count = async (query: string) => Number((await sql.query<{ n: string }>(query)).rows[0]!.n);
    await until(async () => (await count(`select count(*) as n from usage_records where function_name = 'counted'`)) === tags.length, 15_000, 'every usage record');
    assert.equal(await count(`select count(distinct id) as n from usage_records where function_name = 'counted'`), tags.length);
    assert.equal(await count(`select count(distinct request_id) as n from usage_records where function_name = 'counted'`), tags.length);
    const streams = await count(`select count(*) as n from logs_streams where group_name = '/aws/lambda/counted'`);
    assert.ok(streams >= 3, `${streams} log streams`);
    assert.equal(await count(`select count(distinct id) as n from logs_streams where group_name = '/aws/lambda/counted'`), streams);

    const env = { ...process.env, LAMBKIN_STORE: '' };
    let printed = '';
    await until(async () => {
      printed = (await run(process.execPath, [CLI, 'logs', 'counted', '--store', database.url], { env })).stdout;
      return tags.every((tag) => printed.includes(`ran ${tag}`));
    }, 15_000, 'every invoke in lambkin logs');
    const events = JSON.parse((await run(process.execPath, [CLI, 'events', 'counted', '--json', '--limit', '100'], { env: { ...env, LAMBKIN_STORE: database.url } })).stdout) as unknown[];
    assert.equal(events.length, tags.length);
    const bill = JSON.parse((await run(process.execPath, [CLI, 'bill', '--json', '--store', database.url], { env })).stdout) as { lines?: unknown[] };
    assert.ok(JSON.stringify(bill).includes('counted'));
  });

  test('a console session opened on A is honoured on B and C, and signing out on C ends it on A', async () => {
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const opened = await fetch(`${a.url}/_lambkin/console/api/session`);
    assert.equal(opened.status, 200);
    const { csrf } = (await opened.json()) as { csrf: string };
    const cookie = cookieOf(opened);
    const headers = { cookie, 'x-lambkin-console': csrf, 'x-lambkin-scope': 'us-east-1/lambda' };
    for (const node of [b, c]) {
      const listed = await fetch(`${node.url}/2015-03-31/functions/`, { headers });
      assert.equal(listed.status, 200);
    }
    const out = await fetch(`${c.url}/_lambkin/console/api/logout`, { method: 'POST', headers });
    assert.equal(out.status, 200);
    const refused = await fetch(`${a.url}/2015-03-31/functions/`, { headers });
    assert.equal(refused.status, 403);
    // The listing still names all three (nothing above took a node down).
    assert.equal((await clusterListing(b)).members.length, 3);
  });

  // Last: it kills a node.
  test('provisioned concurrency 2 on three nodes keeps exactly 2 environments in the cluster, and 2 again after kill -9 of a node holding one', async () => {
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    await a.lambda.send(new CreateFunctionCommand({
      FunctionName: 'warm', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async () => "warm";' }) },
    }));
    await waitUntilFunctionActiveV2({ client: a.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'warm' });
    const { Version } = await a.lambda.send(new PublishVersionCommand({ FunctionName: 'warm' }));
    const put = await b.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: Version, ProvisionedConcurrentExecutions: 2 }));
    assert.equal(put.Status, 'IN_PROGRESS');
    await until(async () => total(provisionedOf(await clusterListing(c), 'warm')) === 2, 30_000, 'two provisioned environments');
    // Never more than two (not one per node) over a few heartbeats. (On a loaded host a node whose
    // lease renewal came late may hand its slot to another, which starts it again: a dip, never more.)
    for (let i = 0; i < 5; i++) {
      const counts = provisionedOf(await clusterListing(a), 'warm');
      assert.ok(total(counts) <= 2, JSON.stringify([...counts]));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await until(async () => total(provisionedOf(await clusterListing(c), 'warm')) === 2, 30_000, 'two provisioned environments again');
    const ready = await c.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: Version }));
    assert.deepEqual([ready.Status, ready.AllocatedProvisionedConcurrentExecutions, ready.AvailableProvisionedConcurrentExecutions], ['READY', 2, 2]);

    const counts = provisionedOf(await clusterListing(a), 'warm');
    const victim = nodes.find((n) => (counts.get(n.url) ?? 0) > 0)!;
    const survivors = nodes.filter((n) => n !== victim);
    await killClusterNode(victim);
    await until(async () => {
      const listing = await clusterListing(survivors[0]!);
      return listing.members.length === 2 && total(provisionedOf(listing, 'warm')) === 2;
    }, 30_000, 'two provisioned environments on the survivors');
    const after = await survivors[1]!.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: Version }));
    assert.deepEqual([after.Status, after.AllocatedProvisionedConcurrentExecutions], ['READY', 2]);
    assert.equal((await survivors[1]!.lambda.send(new InvokeCommand({ FunctionName: 'warm', Qualifier: Version }))).FunctionError, undefined);
  });
});
