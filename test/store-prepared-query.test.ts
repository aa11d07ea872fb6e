import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../src/store/database.js';
import { PreparedQuery } from '../src/store/prepared-query.js';

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
