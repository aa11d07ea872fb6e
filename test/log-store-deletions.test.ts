import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../src/logger.js';
import { readStreamEvents } from '../src/observability/function-log-reader.js';
import { FunctionLogs } from '../src/observability/function-logs.js';
import { LogStoreCap } from '../src/observability/log-store-cap.js';
import { openStore, type Store } from '../src/store/database.js';

const DAY = 86_400_000;
const scope = { accountId: '000000000000', region: 'us-east-1' };

describe('log store deletions and the size cap', () => {
  let dir: string;
  let db: Store;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lambkin-log-deletions-'));
    db = await openStore({ kind: 'sqlite', dataDir: dir });
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const lines = (group: string, stream: string, count: number, at: number) =>
    Array.from({ length: count }, (_, i) => ({ ...scope, group, stream, timestamp: at + i, message: `${'x'.repeat(900)} ${i}\n` }));
  const messagesOf = async (group: string, stream: string) => {
    const row = await db.selectFrom('logs_streams').select(['id', 'name']).where('group_name', '=', group).where('name', '=', stream).executeTakeFirst();
    return row ? (await readStreamEvents(db, [row])).length : 0;
  };

  test("a deleted group's bytes leave the cap's count: what is written next is not trimmed for them", async () => {
    const cap = new LogStoreCap(db, createLogger('silent'), 200_000);
    const logs = new FunctionLogs(db, createLogger('silent'), {}, cap);
    await logs.put(lines('/old', 's', 130, Date.now()));
    await cap.settled();
    await logs.deleteGroup(scope.accountId, scope.region, '/old');
    await logs.put(lines('/new', 's', 130, Date.now()));
    await cap.settled();
    // 130 lines of ~900 bytes twice is over the cap; without the deletion counted, /new would lose its oldest.
    assert.equal(await messagesOf('/new', 's'), 130);
    assert.equal(await messagesOf('/old', 's'), 0);
    await logs.close();
  });

  test('the retention sweep deletes batches past their group retention, and their bytes leave the count', async () => {
    const cap = new LogStoreCap(db, createLogger('silent'), 400_000);
    const logs = new FunctionLogs(db, createLogger('silent'), {}, cap);
    const now = Date.now();
    await logs.put(lines('/kept', 'old', 130, now - 3 * DAY));
    await logs.put(lines('/kept', 'new', 130, now - 1000));
    await logs.put(lines('/forever', 's', 10, now - 30 * DAY));
    await db.updateTable('logs_groups').set({ retention_in_days: 1 }).where('name', '=', '/kept').execute();
    assert.ok((await logs.expire(now)) > 0);
    assert.equal(await messagesOf('/kept', 'old'), 0);
    assert.equal(await messagesOf('/kept', 'new'), 130);
    assert.equal(await messagesOf('/forever', 's'), 10, 'a group without retention keeps everything');
    await logs.put(lines('/kept', 'more', 200, now));
    await cap.settled();
    assert.equal(await messagesOf('/kept', 'new'), 130, 'the expired bytes no longer count towards the cap');
    await logs.close();
  });
});
