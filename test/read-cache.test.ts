import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReadCache } from '../src/store/read-cache.js';

/** A load the test answers when it chooses, counting how often the cache asked. */
function controlledLoad<V>() {
  let answer: ((value: V) => void) | undefined;
  const load = { calls: 0, fn: () => new Promise<V>((resolve) => { load.calls++; answer = resolve; }), answer: (value: V) => answer!(value) };
  return load;
}

describe('read cache: rows kept until a writer drops them', () => {
  test('a value read once is served from memory until its key is dropped', async () => {
    const cache = new ReadCache<string>();
    let calls = 0;
    const load = async () => `v${++calls}`;
    assert.equal(await cache.read('a', load), 'v1');
    assert.equal(await cache.read('a', load), 'v1');
    cache.delete('a');
    assert.equal(await cache.read('a', load), 'v2');
  });

  test('an answer that arrives after a drop is returned but not kept: the old row never outlives the write', async () => {
    const cache = new ReadCache<string>();
    const load = controlledLoad<string>();
    // The read begins before the write commits (it will see the old row)…
    const reading = cache.read('fn', load.fn);
    // …the writer commits and drops the entry, and only then does the old row come back.
    cache.delete('fn');
    load.answer('Pending');
    assert.equal(await reading, 'Pending');
    const again = cache.read('fn', load.fn);
    assert.equal(load.calls, 2, 'the stale answer was not cached: the store is read again');
    load.answer('Active');
    assert.equal(await again, 'Active');
    assert.equal(await cache.read('fn', load.fn), 'Active');
    assert.equal(load.calls, 2);
  });

  test('deleteWhere and clear count as drops too; keep() can refuse a value; the bound starts the cache again', async () => {
    const cache = new ReadCache<string | null>(2);
    const load = controlledLoad<string | null>();
    const reading = cache.read('fn/1', load.fn);
    cache.deleteWhere((key) => key.startsWith('other/'));
    load.answer('old');
    await reading;
    const second = cache.read('fn/1', load.fn);
    cache.clear();
    load.answer('old');
    await second;
    assert.equal(load.calls, 2);
    let n = 0;
    assert.equal(await cache.read('missing', async () => (n++, null), (v) => v !== null), null);
    assert.equal(await cache.read('missing', async () => (n++, null), (v) => v !== null), null);
    assert.equal(n, 2, 'a refused value is read each time');
    for (const key of ['a', 'b', 'c']) await cache.read(key, async () => key);
    let reloaded = 0;
    await cache.read('a', async () => (reloaded++, 'a'));
    assert.equal(reloaded, 1, 'the third key started the cache again');
  });
});
