import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import type { QueueScope } from '../src/services/sqs/model.js';
import { queueArn } from '../src/services/sqs/queue-arns.js';
import { defaultAttributes } from '../src/services/sqs/queue-attributes.js';
import { SqsQueueOwnership } from '../src/services/sqs/queue-ownership.js';
import { SqsQueues } from '../src/services/sqs/queues.js';
import type { ClusterMembership } from '../src/store/cluster/membership.js';
import { openStore, type Store } from '../src/store/database.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';

const SCOPE: QueueScope = { accountId: '000000000000', region: 'eu-west-1' };
const NODE = 'node-b';

/** Just what SqsQueueOwnership reads of the membership: this node, alone and alive. */
function soleMember(): ClusterMembership {
  const timing = { heartbeatMs: 60_000, expiryMs: 60_000 };
  return {
    nodeId: NODE,
    timing,
    get heartbeatAt() {
      return Date.now();
    },
    members: () => [{ nodeId: NODE, url: 'http://127.0.0.1:1', startedAt: 0, heartbeatAt: Date.now(), draining: false, load: { inFlight: 0, environments: {}, functions: {} } }],
  } as unknown as ClusterMembership;
}

// LAMBKIN_TEST_STORE=postgres runs it on a database of its own on the test PostgreSQL.
describe(`SQS queue ownership on one node (${process.env.LAMBKIN_TEST_STORE === 'postgres' ? 'PostgreSQL' : 'SQLite'})`, () => {
  let database: TestDatabase | undefined;
  let db: Store;

  before(async () => {
    database = process.env.LAMBKIN_TEST_STORE === 'postgres' ? await createTestDatabase() : undefined;
    db = await openStore(database ? { kind: 'postgres', url: database.url } : { kind: 'sqlite', dataDir: ':memory:' });
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  /**
   * The interleaving: a node's call on a scope it does not serve reads the lease row (and whether
   * the scope holds queues); meanwhile its heartbeat (or another call) takes the scope and loads
   * its queues, and a send goes to that queue. The first call then took the scope once more and
   * loaded it again: new queue objects in the registry, while the send still held the old one and
   * stored its message after the second load read the store. Acknowledged and stored, the message
   * was in no queue the node served: never received until the queues moved again.
   */
  test('a call that finds a scope free while the heartbeat takes it does not load the scope a second time: a send in flight on the queue is still received', async () => {
    const logger = createLogger('silent');
    const queues = new SqsQueues(db, systemClock, logger);
    const ownership = new SqsQueueOwnership({ db, membership: soleMember(), queues, logger });
    // A queue another node served and has just handed over (its lease row gone).
    const now = Date.now();
    await db.insertInto('sqs_queues').values({
      arn: queueArn(SCOPE, 'moving'), account_id: SCOPE.accountId, region: SCOPE.region, name: 'moving',
      attributes: JSON.stringify(defaultAttributes(false)), tags: '{}', created_at: now, modified_at: now,
    }).execute();

    // A call on the scope passes the checks that would find it served or being claimed, then
    // waits for its read of the lease row; meanwhile the heartbeat takes the scope.
    let readLease!: () => void;
    const leaseRead = new Promise<void>((resolve) => (readLease = resolve));
    const liveOwner = ownership['liveOwner'].bind(ownership);
    ownership['liveOwner'] = async (key: string, at: number) => {
      await leaseRead;
      return liveOwner(key, at);
    };
    const call = ownership.route(SCOPE, false);
    await ownership['tick']();
    assert.ok(ownership.servesQueue(queueArn(SCOPE, 'moving')), 'the heartbeat took the free scope');
    // A send that takes the served queue now: its write commits after the call below has run.
    const queue = queues.find(SCOPE, 'moving');
    assert.ok(queue);

    readLease();
    assert.deepEqual(await call, { local: true });
    await queues.send(queue, { body: 'sent across the second look', senderId: SCOPE.accountId });
    const stored = await db.selectFrom('sqs_messages').select('body').where('queue_arn', '=', queueArn(SCOPE, 'moving')).execute();
    assert.deepEqual(stored.map((r) => r.body), ['sent across the second look'], 'the send is stored');

    const served = queues.find(SCOPE, 'moving');
    assert.ok(served);
    const received = await queues.receive(served, { maxMessages: 10 });
    assert.deepEqual(received.map((r) => r.message.body), ['sent across the second look'], 'the acknowledged send is received');
    assert.equal(served, queue, 'the queue served is the one the send stored into');
    await ownership.stop();
    await queues.close();
  });
});
