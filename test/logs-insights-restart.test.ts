import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeQueriesCommand, GetQueryResultsCommand, PutLogEventsCommand,
  StartQueryCommand, StopQueryCommand, type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, type TestServer } from './support/server.js';

const QUERY = 'fields @message | filter @message like /ERROR/ | sort @timestamp asc';

describe('Logs Insights queries survive a restart', () => {
  let server: TestServer;
  let logs: CloudWatchLogsClient;
  const t = Date.now();
  const startTime = Math.floor((t - 60_000) / 1000);
  const endTime = Math.floor((t + 60_000) / 1000);

  before(async () => {
    server = await startTestServer();
    logs = new CloudWatchLogsClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/insights' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/insights', logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({
      logGroupName: '/insights', logStreamName: 's',
      logEvents: [{ timestamp: t, message: 'ERROR one' }, { timestamp: t + 1, message: 'fine' }, { timestamp: t + 2, message: 'ERROR two' }],
    }));
  });
  after(() => server?.stop());

  const settled = async (queryId: string): Promise<GetQueryResultsCommandOutput> => {
    for (let i = 0; i < 100; i++) {
      const out = await logs.send(new GetQueryResultsCommand({ queryId }));
      if (out.status !== 'Running' && out.status !== 'Scheduled') return out;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`query ${queryId} still running`);
  };
  const messages = (out: GetQueryResultsCommandOutput) => out.results?.map((row) => row.find((f) => f.field === '@message')?.value);

  test('a complete query keeps its status and results; a cancelled one stays cancelled', async () => {
    const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: '/insights', startTime, endTime, queryString: QUERY }));
    const done = await settled(queryId!);
    assert.equal(done.status, 'Complete');
    assert.deepEqual(messages(done), ['ERROR one', 'ERROR two']);
    // Stopped before it ran: StartQuery answers first, the query runs on the next turn of the loop.
    const [started] = await Promise.all([logs.send(new StartQueryCommand({ logGroupName: '/insights', startTime, endTime, queryString: 'stats count(*)' }))]);
    const stopped = await logs.send(new StopQueryCommand({ queryId: started.queryId })).then(() => true, () => false);

    await server.restart();
    const after = await logs.send(new GetQueryResultsCommand({ queryId }));
    assert.equal(after.status, 'Complete');
    assert.deepEqual(messages(after), ['ERROR one', 'ERROR two']);
    assert.deepEqual(after.statistics, done.statistics);
    const listed = await logs.send(new DescribeQueriesCommand({ logGroupName: '/insights' }));
    const byId = new Map(listed.queries?.map((q) => [q.queryId, q]));
    assert.equal(byId.get(queryId)?.status, 'Complete');
    assert.equal(byId.get(queryId)?.queryString, QUERY);
    if (stopped) assert.equal(byId.get(started.queryId)?.status, 'Cancelled');
  });

  test('a query a crash interrupted runs again at start and completes', async () => {
    // A crash mid-run leaves the query stored as Running; the server is down while it is written.
    const queryId = '6f1c1a52-4c2e-4b8e-9a57-5d3f1f0c2a11';
    await server.restart(() => {
      const db = new SqliteDatabase(path.join(server.dataDir, 'lambkin.db'));
      db.prepare(
        `INSERT INTO logs_insights_queries (query_id, account_id, region, query_string, log_group_names, start_ms, end_ms, result_limit, create_time, status, output)
         VALUES (?, '000000000000', 'us-east-1', ?, '["/insights"]', ?, ?, 1000, ?, 'Running', NULL)`,
      ).run(queryId, QUERY, startTime * 1000, endTime * 1000 + 999, t);
      db.close();
    });
    const out = await settled(queryId);
    assert.equal(out.status, 'Complete');
    assert.deepEqual(messages(out), ['ERROR one', 'ERROR two']);
  });
});
