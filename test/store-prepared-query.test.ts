import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../src/store/database.js';
import { PreparedByShape, PreparedQuery } from '../src/store/prepared-query.js';

const insert = new PreparedQuery<{ hash: string; item: string; size: number }, never>((db, arg) =>
  db.insertInto('dynamodb_items').values({ table_id: 1, hash_key: arg('hash'), range_key: '', hash_point: 0, item: arg('item'), size: arg('size'), ttl_at: null }),
);
const select = new PreparedQuery<{ hash: string; minSize: number }, { item: string; size: number }>((db, arg) =>
  db.selectFrom('dynamodb_items').select(['item', 'size']).where('table_id', '=', 1).where('hash_key', '=', arg('hash')).where('size', '>=', arg('minSize')),
);

test('a prepared query runs with each call\'s arguments and keeps its fixed values, on the store and in transactions', async () => {
  const db = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
  try {
    await insert.execute(db, { hash: 'a', item: 'first', size: 5 });
    await db.transaction().execute(async (tx) => {
      await insert.execute(tx, { hash: 'b', item: 'second', size: 9 });
      assert.deepEqual((await select.execute(tx, { hash: 'b', minSize: 0 })).rows, [{ item: 'second', size: 9 }]);
    });
    assert.deepEqual((await select.execute(db, { hash: 'a', minSize: 5 })).rows, [{ item: 'first', size: 5 }]);
    assert.deepEqual((await select.execute(db, { hash: 'a', minSize: 6 })).rows, []);
    assert.deepEqual((await select.execute(db, { hash: 'b', minSize: 1 })).rows, [{ item: 'second', size: 9 }]);
    // The fixed table_id = 1 stayed in the statement: a row of another table is not found.
    await db.insertInto('dynamodb_items').values({ table_id: 2, hash_key: 'c', range_key: '', hash_point: 0, item: 'other', size: 1, ttl_at: null }).execute();
    assert.deepEqual((await select.execute(db, { hash: 'c', minSize: 0 })).rows, []);
  } finally {
    await db.destroy();
  }
});

test('queries prepared by shape: each shape compiles its own statement, which later calls of that shape reuse with their arguments', async () => {
  const db = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
  const byShape = new PreparedByShape();
  let builds = 0;
  // The shape is how many hash keys the IN list holds: a statement for 1 and one for 2.
  const items = (hashes: string[]) => {
    const args: Record<string, unknown> = {};
    hashes.forEach((hash, i) => (args[`h${i}`] = hash));
    return byShape.execute<{ item: string }>(db, `in:${hashes.length}`, (q, arg) => {
      builds++;
      return q.selectFrom('dynamodb_items').select('item').where('hash_key', 'in', hashes.map((_, i) => arg(`h${i}`))).orderBy('item');
    }, args);
  };
  try {
    for (const [hash, item] of [['a', 'first'], ['b', 'second'], ['c', 'third']]) {
      await db.insertInto('dynamodb_items').values({ table_id: 1, hash_key: hash!, range_key: '', hash_point: 0, item: item!, size: 1, ttl_at: null }).execute();
    }
    assert.deepEqual((await items(['a'])).rows, [{ item: 'first' }]);
    assert.deepEqual((await items(['a', 'b'])).rows, [{ item: 'first' }, { item: 'second' }]);
    assert.deepEqual((await items(['c'])).rows, [{ item: 'third' }]);
    assert.deepEqual((await items(['b', 'c'])).rows, [{ item: 'second' }, { item: 'third' }]);
    assert.equal(builds, 2);
  } finally {
    await db.destroy();
  }
});
