import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { SharedDirectoryBodies } from '../src/store/shared-directory-bodies.js';
import { removeClusterNode, startClusterNode, type ClusterNode } from './support/cluster-nodes.js';
import { createTestDatabase, NO_POSTGRES, postgresReachable, type TestDatabase } from './support/postgres.js';

const skip = (await postgresReachable()) ? false : NO_POSTGRES;

/** The S3 bodies a shared directory holds: its file ids. */
function bodiesIn(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((dir) => readdirSync(path.join(root, dir))).sort();
}

describe('S3 bodies in a shared directory (LAMBKIN_BLOB_DIR on a PostgreSQL store)', { skip }, () => {
  let database: TestDatabase;
  let sql: pg.Client;
  let blobDir: string;
  const nodes: ClusterNode[] = [];

  before(async () => {
    database = await createTestDatabase();
    blobDir = mkdtempSync(path.join(tmpdir(), 'lambkin-shared-blobs-'));
    for (let i = 0; i < 2; i++) nodes.push(await startClusterNode(database, { LAMBKIN_BLOB_DIR: blobDir }));
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    for (const node of nodes) await removeClusterNode(node);
    await database?.drop();
    if (blobDir) rmSync(blobDir, { recursive: true, force: true });
  });

  test('an object put on A is served whole, by range and copied on B from the directory, never from the chunk tables, and its file goes with it', async () => {
    const [a, b] = nodes.map((node) => new S3Client({ endpoint: node.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })) as [S3Client, S3Client];
    const shared = path.join(blobDir, 's3-objects');
    await a.send(new CreateBucketCommand({ Bucket: 'dir' }));
    const body = Buffer.alloc(1_300_000, 'y');
    body.write('tail', body.length - 4);
    await a.send(new PutObjectCommand({ Bucket: 'dir', Key: 'big', Body: body }));
    const [stored] = bodiesIn(shared);
    assert.ok(stored, 'the body is in the shared directory once the put is answered');

    const whole = Buffer.from(await (await b.send(new GetObjectCommand({ Bucket: 'dir', Key: 'big' }))).Body!.transformToByteArray());
    assert.ok(whole.equals(body));
    assert.equal(await (await b.send(new GetObjectCommand({ Bucket: 'dir', Key: 'big', Range: 'bytes=-4' }))).Body!.transformToString(), 'tail');
    await b.send(new CopyObjectCommand({ Bucket: 'dir', Key: 'copy', CopySource: 'dir/big' }));
    assert.equal(bodiesIn(shared).length, 2);
    const { rows } = await sql.query<{ n: string }>('select count(*) as n from blobs where length(hex) = 32');
    assert.equal(Number(rows[0]!.n), 0, 'no S3 body in the chunk tables');

    await b.send(new DeleteObjectCommand({ Bucket: 'dir', Key: 'big' }));
    await assert.rejects(a.send(new GetObjectCommand({ Bucket: 'dir', Key: 'big' })), { name: 'NoSuchKey' });
    assert.deepEqual(bodiesIn(shared).includes(stored), false, 'the deleted body left the directory');
    const copy = Buffer.from(await (await a.send(new GetObjectCommand({ Bucket: 'dir', Key: 'copy' }))).Body!.transformToByteArray());
    assert.ok(copy.equals(body));
    a.destroy();
    b.destroy();
  });
});

describe('SharedDirectoryBodies', () => {
  test('stores, fetches, removes, and collects only old bodies no row names', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lambkin-dir-bodies-'));
    try {
      const bodies = new SharedDirectoryBodies(path.join(root, 'shared'));
      const source = path.join(root, 'source');
      writeFileSync(source, 'body');
      const [kept, orphan, young] = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)];
      for (const id of [kept, orphan, young]) await bodies.store(id, source);
      const out = path.join(root, 'out');
      assert.equal(await bodies.fetch(kept, out), true);
      assert.equal(await bodies.fetch('d'.repeat(32), out), false);

      // A crashed write's temporary file and two bodies written long ago; `young` was just written.
      mkdirSync(path.join(root, 'shared', 'aa'), { recursive: true });
      writeFileSync(path.join(root, 'shared', 'aa', `${kept}.x.tmp`), 'partial');
      const old = new Date(Date.now() - 3_600_000);
      for (const file of [`aa/${kept}`, `bb/${orphan}`, `aa/${kept}.x.tmp`]) utimesSync(path.join(root, 'shared', file), old, old);
      const removed = await bodies.collect(Date.now() - 60_000, async (ids) => new Set(ids.filter((id) => id === kept)));
      assert.equal(removed, 1);
      assert.deepEqual(bodiesIn(path.join(root, 'shared')), [kept, young]);

      await bodies.remove([kept]);
      assert.equal(await bodies.fetch(kept, out), false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
