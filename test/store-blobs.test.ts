import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { CreateFunctionCommand, DeleteFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { BlobStore } from '../src/store/blobs.js';
import { openStore } from '../src/store/database.js';
import { BLOB_CHUNK_BYTES, PostgresBlobs } from '../src/store/postgres/postgres-blobs.js';
import { createTestDatabase, NO_POSTGRES, postgresReachable } from './support/postgres.js';
import { startTestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

const HOUR = 3_600_000;
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambkin-blobs-'));
  dirs.push(dir);
  return dir;
}
/** Makes a blob file look stored `ms` ago. */
function age(file: string, ms: number): void {
  const at = new Date(Date.now() - ms);
  utimesSync(file, at, at);
}

describe('blob garbage collection (files)', () => {
  test('unreferenced blobs older than the grace period go; referenced, young and just re-stored ones stay', async () => {
    const blobs = new BlobStore(tempDir());
    const [kept, old, young, restored] = await Promise.all(['kept', 'old', 'young', 'restored'].map((s) => blobs.put(Buffer.from(s))));
    for (const hex of [kept!, old!, restored!]) age(blobs.pathOf(hex), 2 * HOUR);
    // A writer stores `restored` again (its row not committed yet): that refreshes it.
    await blobs.put(Buffer.from('restored'));
    const removed = await blobs.collect(Date.now() - HOUR, async () => new Set([kept!]));
    assert.equal(removed, 1);
    assert.deepEqual([kept, old, young, restored].map((hex) => existsSync(blobs.pathOf(hex!))), [true, false, true, true]);
    // Storing a collected blob again brings it back.
    await blobs.put(Buffer.from('old'));
    assert.equal(readFileSync(blobs.pathOf(old!), 'utf8'), 'old');
  });
});

describe('blobs in PostgreSQL', { skip: (await postgresReachable()) ? false : NO_POSTGRES }, () => {
  test('stored in chunks by one node, fetched by another, collected once unreferenced', async () => {
    const database = await createTestDatabase();
    const db = await openStore({ kind: 'postgres', url: database.url });
    try {
      const clock = { now: () => Date.now(), setTimeout: (fn: () => void, ms: number) => { const t = setTimeout(fn, ms); return { cancel: () => clearTimeout(t) }; } };
      const nodeA = new BlobStore(tempDir(), new PostgresBlobs(db, clock));
      const nodeB = new BlobStore(tempDir(), new PostgresBlobs(db, clock));
      const big = randomBytes(2 * BLOB_CHUNK_BYTES + 12_345);
      const hex = await nodeA.put(big);
      const chunks = await db.selectFrom('blob_chunks').select((eb) => eb.fn.countAll().as('n')).where('hex', '=', hex).executeTakeFirstOrThrow();
      assert.equal(chunks.n, 3);
      assert.equal(await nodeB.has(hex), true);
      assert.ok(!existsSync(nodeB.pathOf(hex)));
      assert.deepEqual(await nodeB.get(hex), big);
      const empty = await nodeA.put(Buffer.alloc(0));
      assert.deepEqual(await nodeB.get(empty), Buffer.alloc(0));

      const other = await nodeA.put(Buffer.from('unreferenced'));
      await db.updateTable('blobs').set({ stored_at: Date.now() - 2 * HOUR }).execute();
      for (const file of [nodeA.pathOf(hex), nodeA.pathOf(other), nodeA.pathOf(empty)]) age(file, 2 * HOUR);
      const removed = await nodeA.collect(Date.now() - HOUR, async () => new Set([hex]));
      assert.equal(removed, 4, 'two files here and two rows in the database');
      const left = await db.selectFrom('blobs').select('hex').orderBy('hex').execute();
      assert.deepEqual(left.map((r) => r.hex), [hex]);
      assert.equal(await nodeB.has(other), false);
      const orphans = await db.selectFrom('blob_chunks').select('hex').where('hex', '!=', hex).execute();
      assert.deepEqual(orphans, []);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});

describe('blob garbage collection (server)', () => {
  test('a deleted function\'s code is collected; a live function keeps its code and still runs after a collection', async () => {
    const server = await startTestServer();
    try {
      const lambda = server.lambda();
      const zipOf = (tag: string) => makeZip({ 'index.js': `exports.handler = async () => '${tag}';\n` });
      for (const name of ['keeps', 'goes']) {
        await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf(name) } }));
      }
      await lambda.send(new DeleteFunctionCommand({ FunctionName: 'goes' }));
      // One file, and on a PostgreSQL store its row there as well.
      assert.ok((await server.lambkin.collectBlobs(0)) >= 1);
      assert.equal(await server.lambkin.collectBlobs(0), 0);
      // Its first invoke extracts the code from the blob the collection left.
      const out = await lambda.send(new InvokeCommand({ FunctionName: 'keeps' }));
      assert.equal(Buffer.from(out.Payload!).toString(), '"keeps"');
    } finally {
      await server.stop();
    }
  });
});
