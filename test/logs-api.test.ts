import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DeleteLogStreamCommand, DeleteRetentionPolicyCommand,
  DeleteMetricFilterCommand, DeleteSubscriptionFilterCommand, DescribeMetricFiltersCommand, PutMetricFilterCommand, TestMetricFilterCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand, DescribeSubscriptionFiltersCommand, FilterLogEventsCommand,
  GetLogEventsCommand, GetQueryResultsCommand, ListTagsForResourceCommand, ListTagsLogGroupCommand, PutLogEventsCommand, PutRetentionPolicyCommand,
  PutSubscriptionFilterCommand, StartQueryCommand, StopQueryCommand, DescribeQueriesCommand, TagLogGroupCommand, TagResourceCommand, UntagResourceCommand, type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand, CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { dimensionsKey } from '../src/observability/metrics/metric-series.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('CloudWatch Logs API over the function log store', () => {
  let server: TestServer;
  let logs: CloudWatchLogsClient;
  let lambda: LambdaClient;

  before(async () => {
    server = await startTestServer();
    logs = new CloudWatchLogsClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    lambda = server.lambda();
  });
  after(() => server.stop());

  const failure = async (p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> => {
    try {
      await p;
    } catch (err) {
      const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
      return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
    }
    assert.fail('expected an error');
  };

  const createFunction = async (name: string, code: string) => {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: makeZip({ 'index.js': code }) } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  };

  /** Polls FilterLogEvents until an event matching `pattern` shows up in the group. */
  const eventually = async (group: string, pattern: string): Promise<FilteredLogEvent[]> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      await server.lambkin.flushLogs();
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: pattern })).catch(() => ({ events: [] }));
      if ((found.events ?? []).length > 0) return found.events!;
      if (Date.now() > deadline) assert.fail(`no event matching ${pattern} in ${group}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  test('the health answer lists logs', async () => {
    const health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as { services: string[] };
    assert.ok(health.services.includes('logs'));
  });

  test('groups: create, describe by prefix with paging, duplicate and missing errors, delete', async () => {
    for (const n of ['/app/a', '/app/b', '/app/c', '/other']) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
    const dup = await failure(logs.send(new CreateLogGroupCommand({ logGroupName: '/app/a' })));
    assert.deepEqual(dup, { name: 'ResourceAlreadyExistsException', message: 'The specified log group already exists', status: 400 });
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/', limit: 2 }));
    assert.deepEqual(first.logGroups?.map((g) => g.logGroupName), ['/app/a', '/app/b']);
    const second = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/', limit: 2, nextToken: first.nextToken }));
    assert.deepEqual(second.logGroups?.map((g) => g.logGroupName), ['/app/c']);
    assert.equal(second.nextToken, undefined);
    const g = first.logGroups![0]!;
    assert.equal(g.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/app/a:*');
    assert.equal(g.logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/app/a');
    assert.equal(g.storedBytes, 0);
    assert.equal(g.metricFilterCount, 0);
    assert.equal(g.logGroupClass, 'STANDARD');
    assert.equal(g.retentionInDays, undefined);
    const byPattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'app/b' }));
    assert.deepEqual(byPattern.logGroups?.map((x) => [x.logGroupName, x.storedBytes]), [['/app/b', undefined]]);
    assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'APP' }))).logGroups, []);
    const both = await failure(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app', logGroupNamePattern: 'app' })));
    assert.equal(both.message, 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
    const long = await failure(logs.send(new CreateLogGroupCommand({ logGroupName: 'x'.repeat(513) })));
    assert.deepEqual(long, { name: 'InvalidParameterException', message: 'Invalid LogGroup or LogStream, both must have length less than or equal to 512.', status: 400 });
    const bad = await failure(logs.send(new CreateLogGroupCommand({ logGroupName: 'has space' })));
    assert.equal(bad.message, "1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/other' }));
    const gone = await failure(logs.send(new DeleteLogGroupCommand({ logGroupName: '/other' })));
    assert.deepEqual(gone, { name: 'ResourceNotFoundException', message: 'The specified log group does not exist.', status: 400 });
  });

  test('PutLogEvents and GetLogEvents: batch rules, rejected events, forward and backward tokens', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/put' }));
    const missing = await failure(logs.send(new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'x' }] })));
    assert.equal(missing.message, 'The specified log stream does not exist.');
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/put', logStreamName: 's' }));
    const dup = await failure(logs.send(new CreateLogStreamCommand({ logGroupName: '/put', logStreamName: 's' })));
    assert.equal(dup.message, 'The specified log stream already exists');
    const now = Date.now();
    const disorder = await failure(logs.send(new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 's', logEvents: [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }] })));
    assert.deepEqual(disorder, { name: 'InvalidParameterException', message: 'Log events in a single PutLogEvents request must be in chronological order.', status: 400 });
    const span = await failure(logs.send(new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 's', logEvents: [{ timestamp: now - 25 * HOUR, message: 'a' }, { timestamp: now, message: 'b' }] })));
    assert.equal(span.message, 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');

    const events = Array.from({ length: 10 }, (_, i) => ({ timestamp: now - 1000 + i, message: `event ${i}` }));
    const put = await logs.send(new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 's', logEvents: events }));
    assert.match(put.nextSequenceToken ?? '', /^\d+$/);
    assert.equal(put.rejectedLogEventsInfo, undefined);
    // The 24-hour rule leaves out events rejected as too old.
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/put', logStreamName: 'other' }));
    const spanOfValid = await logs.send(
      new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 'other', logEvents: [{ timestamp: now - 15 * DAY, message: 'too old' }, { timestamp: now - 2000, message: 'early' }] }),
    );
    assert.deepEqual(spanOfValid.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });
    const oldAndNew = await logs.send(
      new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 's', logEvents: [{ timestamp: now + 3 * HOUR, message: 'too new' }] }),
    );
    assert.deepEqual(oldAndNew.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 0 });
    const tooOld = await logs.send(new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 's', logEvents: [{ timestamp: now - 15 * DAY, message: 'too old' }] }));
    assert.deepEqual(tooOld.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0 });

    // The tail by default, `startFromHead` from the beginning; tokens page both ways.
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 's', limit: 3 }));
    assert.deepEqual(tail.events?.map((e) => e.message), ['event 7', 'event 8', 'event 9']);
    const back = await logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 's', limit: 3, nextToken: tail.nextBackwardToken }));
    assert.deepEqual(back.events?.map((e) => e.message), ['event 4', 'event 5', 'event 6']);
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 's', limit: 4, startFromHead: true }));
    assert.deepEqual(head.events?.map((e) => e.message), ['event 0', 'event 1', 'event 2', 'event 3']);
    assert.ok(head.events!.every((e) => typeof e.ingestionTime === 'number'));
    const forward = await logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 's', limit: 100, nextToken: head.nextForwardToken }));
    assert.deepEqual(forward.events?.map((e) => e.message), ['event 4', 'event 5', 'event 6', 'event 7', 'event 8', 'event 9']);
    // At the end the forward token stays put, which is how clients know to stop.
    const end = await logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 's', nextToken: forward.nextForwardToken }));
    assert.deepEqual(end.events, []);
    assert.equal(end.nextForwardToken, forward.nextForwardToken);
    await logs.send(new PutLogEventsCommand({ logGroupName: '/put', logStreamName: 's', logEvents: [{ timestamp: now, message: 'later' }] }));
    const later = await logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 's', nextToken: end.nextForwardToken }));
    assert.deepEqual(later.events?.map((e) => e.message), ['later']);
    const badToken = await failure(logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 's', nextToken: 'nope' })));
    assert.deepEqual(badToken, { name: 'InvalidParameterException', message: 'The specified nextToken is invalid.', status: 400 });
    const limit = await failure(logs.send(new GetLogEventsCommand({ logGroupName: '/put', logStreamName: 's', limit: 10001 })));
    assert.equal(limit.message, "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000");

    await logs.send(new DeleteLogStreamCommand({ logGroupName: '/put', logStreamName: 'other' }));
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/put' }));
    assert.equal(streams.logStreams?.length, 1);
    assert.equal(streams.logStreams![0]!.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/put:log-stream:s');
    assert.equal(streams.logStreams![0]!.lastEventTimestamp, now);
    await logs.send(new DeleteLogStreamCommand({ logGroupName: '/put', logStreamName: 's' }));
    assert.deepEqual((await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/put' }))).logStreams, []);
  });

  test('FilterLogEvents: terms, ? alternatives, - exclusions, quoted phrases, JSON and space-delimited patterns, streams and paging', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/filter' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/filter', logStreamName: 'web-1' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/filter', logStreamName: 'worker' }));
    const t = Date.now() - 10_000;
    const web = [
      'ERROR connection refused by db',
      'WARN slow request',
      'INFO Exiting after ERROR',
      '127.0.0.1 frank GET /index.html 200 1534',
      '127.0.0.2 alice POST /login 503 12',
      '{"level":"ERROR","latency":150,"user":{"id":7}}',
      '{"level":"ERROR","latency":50}',
      '{"level":"INFO","latency":500}',
      'ERRORS are not ERROR',
    ];
    await logs.send(new PutLogEventsCommand({ logGroupName: '/filter', logStreamName: 'web-1', logEvents: web.map((message, i) => ({ timestamp: t + i, message })) }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/filter', logStreamName: 'worker', logEvents: [{ timestamp: t + 3, message: 'ERROR in worker' }] }));
    const filter = async (filterPattern: string, extra: Record<string, unknown> = {}) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', filterPattern, ...extra }))).events!.map((e) => e.message);

    // A bare term is a whole word: `"ERROR"` inside JSON matches, `ERRORS` alone would not.
    assert.deepEqual(await filter('ERROR'), [
      'ERROR connection refused by db', 'INFO Exiting after ERROR', 'ERROR in worker', '{"level":"ERROR","latency":150,"user":{"id":7}}', '{"level":"ERROR","latency":50}', 'ERRORS are not ERROR',
    ]);
    assert.deepEqual(await filter('ERRORS'), ['ERRORS are not ERROR']);
    assert.deepEqual(await filter('ERROR -Exiting -worker -level'), ['ERROR connection refused by db', 'ERRORS are not ERROR']);
    assert.deepEqual(await filter('?WARN ?refused'), ['ERROR connection refused by db', 'WARN slow request']);
    assert.deepEqual(await filter('"connection refused"'), ['ERROR connection refused by db']);
    assert.deepEqual(await filter('{ $.level = "ERROR" && $.latency > 100 }'), ['{"level":"ERROR","latency":150,"user":{"id":7}}']);
    assert.deepEqual(await filter('{ $.user.id = 7 || $.latency >= 500 }'), ['{"level":"ERROR","latency":150,"user":{"id":7}}', '{"level":"INFO","latency":500}']);
    assert.deepEqual(await filter('{ $.level = ERR* }'), ['{"level":"ERROR","latency":150,"user":{"id":7}}', '{"level":"ERROR","latency":50}']);
    assert.deepEqual(await filter('{ $.user NOT EXISTS && $.latency < 100 }'), ['{"level":"ERROR","latency":50}']);
    assert.deepEqual(await filter('[ip, user, ..., status = 5*, bytes]'), ['127.0.0.2 alice POST /login 503 12']);
    assert.deepEqual(await filter('[ip, user, method, path, status, bytes > 1000]'), ['127.0.0.1 frank GET /index.html 200 1534']);
    assert.deepEqual(await filter('ERROR', { logStreamNames: ['worker'] }), ['ERROR in worker']);
    assert.deepEqual(await filter('ERROR -level', { logStreamNamePrefix: 'web' }), ['ERROR connection refused by db', 'INFO Exiting after ERROR', 'ERRORS are not ERROR']);
    assert.deepEqual(await filter('', { startTime: t + 7, endTime: t + 8 }), ['{"level":"INFO","latency":500}', 'ERRORS are not ERROR']);

    const page1 = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', limit: 4 }));
    assert.equal(page1.events?.length, 4);
    assert.match(page1.events![0]!.eventId!, /^\d{56}$/);
    assert.equal(page1.events![0]!.logStreamName, 'web-1');
    const rest = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', nextToken: page1.nextToken }));
    assert.equal(rest.events?.length, 6);
    assert.equal(rest.nextToken, undefined);

    const invalid = await failure(logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', filterPattern: '{ $.level = ' })));
    assert.deepEqual(invalid, { name: 'InvalidParameterException', message: "If a filter pattern starts with '{' it must end with '}'", status: 400 });
    const invalid2 = await failure(logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', filterPattern: '{ $.level = }' })));
    assert.equal(invalid2.message, 'Invalid filter pattern');
    const badToken = await failure(logs.send(new FilterLogEventsCommand({ logGroupName: '/filter', nextToken: 'xyz' })));
    assert.equal(badToken.message, 'The specified nextToken is invalid.');
  });

  test('FilterLogEvents interleaves many batches of several streams in time order, page after page', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/interleaved' }));
    for (const stream of ['a', 'b']) await logs.send(new CreateLogStreamCommand({ logGroupName: '/interleaved', logStreamName: stream }));
    const t = Date.now() - 100_000;
    // Stream b's batches are all stored before a's, though their events alternate in time.
    for (const [stream, offset] of [['b', 1], ['a', 0]] as const) {
      for (let i = 0; i < 250; i++) {
        await logs.send(new PutLogEventsCommand({ logGroupName: '/interleaved', logStreamName: stream, logEvents: [{ timestamp: t + 2 * i + offset, message: `${stream}${i}` }] }));
      }
    }
    const all = (await logs.send(new FilterLogEventsCommand({ logGroupName: '/interleaved' }))).events!;
    assert.equal(all.length, 500);
    assert.deepEqual(all.map((e) => e.timestamp), Array.from({ length: 500 }, (_, i) => t + i));
    const paged: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: '/interleaved', limit: 37, nextToken }));
      paged.push(...page.events!.map((e) => e.timestamp!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(paged, Array.from({ length: 500 }, (_, i) => t + i));
  });

  test('a function logs to /aws/lambda/<name> in a YYYY/MM/DD/[$LATEST]<hex> stream, readable through the API', async () => {
    await createFunction('talker', "exports.handler = async (e) => { console.log('hello from', e.who); return 1; };\n");
    await lambda.send(new InvokeCommand({ FunctionName: 'talker', Payload: Buffer.from(JSON.stringify({ who: 'api' })) }));
    const found = await eventually('/aws/lambda/talker', '"hello from api"');
    assert.match(found[0]!.logStreamName!, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/talker' }));
    assert.ok((groups.logGroups![0]!.storedBytes ?? 0) > 0);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/talker', orderBy: 'LastEventTime', descending: true }));
    assert.equal(streams.logStreams![0]!.logStreamName, found[0]!.logStreamName);
    const report = await eventually('/aws/lambda/talker', 'REPORT');
    assert.match(report[0]!.message!, /^REPORT RequestId: /);

    // Deleting the group under a warm environment: its next lines create the group and stream again.
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/talker' }));
    await lambda.send(new InvokeCommand({ FunctionName: 'talker', Payload: Buffer.from(JSON.stringify({ who: 'again' })) }));
    const again = await eventually('/aws/lambda/talker', '"hello from again"');
    assert.equal(again[0]!.logStreamName, found[0]!.logStreamName);
    const recreated = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/talker' }));
    assert.deepEqual(recreated.logStreams?.map((s) => s.logStreamName), [found[0]!.logStreamName]);
    const hello = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/talker', filterPattern: 'hello' }));
    assert.deepEqual(hello.events?.map((e) => e.message!.split('\t').pop()), ['hello from again\n']);
  });

  test('retention: PutRetentionPolicy shows in DescribeLogGroups and the sweep deletes older events; tags', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/kept', tags: { team: 'a' } }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/kept', logStreamName: 's' }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: '/kept', logStreamName: 's', logEvents: [{ timestamp: now - 3 * DAY, message: 'three days old' }] }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/kept', logStreamName: 's', logEvents: [{ timestamp: now - HOUR, message: 'recent' }] }));
    const bad = await failure(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/kept', retentionInDays: 2 })));
    assert.equal(
      bad.message,
      "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    );
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/kept', retentionInDays: 1 }));
    assert.equal((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/kept' }))).logGroups![0]!.retentionInDays, 1);
    await server.lambkin.sweepLogRetention();
    const left = await logs.send(new FilterLogEventsCommand({ logGroupName: '/kept' }));
    assert.deepEqual(left.events?.map((e) => e.message), ['recent']);
    // An event older than the retention is refused at the door.
    const expired = await logs.send(new PutLogEventsCommand({ logGroupName: '/kept', logStreamName: 's', logEvents: [{ timestamp: now - 2 * DAY, message: 'x' }] }));
    assert.deepEqual(expired.rejectedLogEventsInfo, { expiredLogEventEndIndex: 0 });
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: '/kept' }));
    assert.equal((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/kept' }))).logGroups![0]!.retentionInDays, undefined);

    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/kept';
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'test' } }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'a', env: 'test' });
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/kept' }))).tags, { env: 'test' });
  });

  test('tags added at once to one group are all kept', async () => {
    for (let round = 0; round < 3; round++) {
      const logGroupName = `/tags-at-once-${round}`;
      await logs.send(new CreateLogGroupCommand({ logGroupName }));
      const resourceArn = `arn:aws:logs:us-east-1:000000000000:log-group:${logGroupName}`;
      const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
      await Promise.all(keys.map((k, i) => (i % 2 === 0
        ? logs.send(new TagLogGroupCommand({ logGroupName, tags: { [k]: k } }))
        : logs.send(new TagResourceCommand({ resourceArn, tags: { [k]: k } })))));
      const { tags } = await logs.send(new ListTagsForResourceCommand({ resourceArn }));
      assert.deepEqual(Object.keys(tags ?? {}).sort(), keys, `round ${round}`);
    }
  });

  test('a subscription filter delivers matching events to a function as the gzip+base64 awslogs event', async () => {
    // The subscriber logs the decoded document; the test reads it back from the subscriber's own group.
    await createFunction(
      'subscriber',
      "const zlib = require('zlib');\nexports.handler = async (e) => { console.log('GOT ' + zlib.gunzipSync(Buffer.from(e.awslogs.data, 'base64')).toString()); };\n",
    );
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/sub' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/sub', logStreamName: 'app' }));
    const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:subscriber';
    const denied = await failure(logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/sub', filterName: 'errors', filterPattern: 'ERROR', destinationArn: fnArn })));
    assert.deepEqual(denied, {
      name: 'InvalidParameterException',
      message: 'Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.',
      status: 400,
    });
    const cross = await failure(logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/sub', filterName: 'x', filterPattern: '', destinationArn: 'arn:aws:lambda:us-east-1:111111111111:function:f' })));
    assert.equal(cross.name, 'AccessDeniedException');
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'subscriber', StatementId: 'logs', Action: 'lambda:InvokeFunction', Principal: 'logs.us-east-1.amazonaws.com',
        SourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/sub:*', SourceAccount: '000000000000',
      }),
    );
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/sub', filterName: 'errors', filterPattern: 'ERROR', destinationArn: fnArn }));
    const described = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: '/sub' }));
    assert.deepEqual(
      described.subscriptionFilters?.map((f) => ({ ...f, creationTime: 0 })),
      [{ filterName: 'errors', logGroupName: '/sub', filterPattern: 'ERROR', destinationArn: fnArn, distribution: 'ByLogStream', applyOnTransformedLogs: false, creationTime: 0 }],
    );
    const t = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: '/sub', logStreamName: 'app', logEvents: [{ timestamp: t, message: 'ERROR one' }, { timestamp: t + 1, message: 'fine' }, { timestamp: t + 2, message: 'ERROR two' }] }));
    const got = await eventually('/aws/lambda/subscriber', 'GOT');
    const doc = JSON.parse(got[0]!.message!.slice(got[0]!.message!.indexOf('GOT ') + 4)) as Record<string, unknown>;
    assert.equal(doc.messageType, 'DATA_MESSAGE');
    assert.equal(doc.owner, '000000000000');
    assert.equal(doc.logGroup, '/sub');
    assert.equal(doc.logStream, 'app');
    assert.deepEqual(doc.subscriptionFilters, ['errors']);
    const delivered = doc.logEvents as Array<{ id: string; timestamp: number; message: string }>;
    assert.deepEqual(delivered.map((e) => [e.timestamp, e.message]), [[t, 'ERROR one'], [t + 2, 'ERROR two']]);
    assert.ok(delivered.every((e) => /^\d{56}$/.test(e.id)));
    // Filters are read back from the store at start.
    await server.restart();
    await logs.send(new PutLogEventsCommand({ logGroupName: '/sub', logStreamName: 'app', logEvents: [{ timestamp: Date.now(), message: 'ERROR after restart' }] }));
    await eventually('/aws/lambda/subscriber', '"ERROR after restart"');
    // A function's own output reaches subscribers of its group the same way.
    await createFunction('noisy', "exports.handler = async () => { console.log('ALERT disk full'); };\n");
    await lambda.send(new InvokeCommand({ FunctionName: 'noisy', Payload: Buffer.from('{}') }));
    await eventually('/aws/lambda/noisy', 'ALERT');
    await lambda.send(
      new AddPermissionCommand({ FunctionName: 'subscriber', StatementId: 'noisy', Action: 'lambda:InvokeFunction', Principal: 'logs.amazonaws.com', SourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/noisy:*' }),
    );
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/aws/lambda/noisy', filterName: 'alerts', filterPattern: 'ALERT', destinationArn: fnArn }));
    await lambda.send(new InvokeCommand({ FunctionName: 'noisy', Payload: Buffer.from('{}') }));
    const alert = await eventually('/aws/lambda/subscriber', '"/aws/lambda/noisy"');
    const alertDoc = JSON.parse(alert[0]!.message!.slice(alert[0]!.message!.indexOf('GOT ') + 4)) as { logStream: string; logEvents: Array<{ message: string }> };
    assert.match(alertDoc.logStream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(alertDoc.logEvents.length, 1);
    assert.match(alertDoc.logEvents[0]!.message, /\tINFO\tALERT disk full\n$/);
    await logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: '/sub', filterName: 'errors' }));
    const again = await failure(logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: '/sub', filterName: 'errors' })));
    assert.equal(again.message, 'The specified subscription filter does not exist.');
  });

  test('metric filters: PutMetricFilter records matching events into CloudWatch metrics; Describe, Test, Delete', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/metered' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/metered', logStreamName: 's' }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: '/metered', filterName: 'latency', filterPattern: '{ $.latency > 0 }',
        metricTransformations: [{ metricName: 'Latency', metricNamespace: 'App', metricValue: '$.latency', unit: 'Milliseconds', dimensions: { Route: '$.route' } }],
      }),
    );
    await logs.send(
      new PutMetricFilterCommand({ logGroupName: '/metered', filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1', defaultValue: 0 }] }),
    );
    const two = await failure(
      logs.send(
        new PutMetricFilterCommand({
          logGroupName: '/metered', filterName: 'x', filterPattern: '',
          metricTransformations: [{ metricName: 'metric1', metricNamespace: 'namespace1', metricValue: '1' }, { metricName: 'metric2', metricNamespace: 'namespace2', metricValue: '1' }],
        }),
      ),
    );
    assert.equal(
      two.message,
      "1 validation error detected: Value '[MetricTransformation(metricName=metric1, metricNamespace=namespace1, metricValue=1, defaultValue=null, unit=null, dimensions=null), MetricTransformation(metricName=metric2, metricNamespace=namespace2, metricValue=1, defaultValue=null, unit=null, dimensions=null)]' at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1",
    );
    const described = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: '/metered' }));
    assert.deepEqual(described.metricFilters?.map((f) => [f.filterName, f.filterPattern, f.metricTransformations?.[0]?.metricValue]), [['errors', 'ERROR', '1'], ['latency', '{ $.latency > 0 }', '$.latency']]);
    assert.equal((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/metered' }))).logGroups![0]!.metricFilterCount, 2);
    const tested = await logs.send(new TestMetricFilterCommand({ filterPattern: '[ip, user, status = 5*]', logEventMessages: ['1.2.3.4 bob 503', '1.2.3.4 bob 200'] }));
    assert.deepEqual(tested.matches, [{ eventNumber: 1, eventMessage: '1.2.3.4 bob 503', extractedValues: { $ip: '1.2.3.4', $user: 'bob', $status: '503' } }]);

    const t = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/metered', logStreamName: 's',
        logEvents: [
          { timestamp: t + 1000, message: '{"latency":120,"route":"/a"}' },
          { timestamp: t + 2000, message: '{"latency":80,"route":"/a"}' },
          { timestamp: t + 3000, message: '{"latency":5}' },
          { timestamp: t + 4000, message: 'ERROR boom' },
        ],
      }),
    );
    await server.lambkin.flushLogs();
    await server.lambkin.metrics.flush();
    const read = (metricName: string, dimensions: string) =>
      server.lambkin.metrics.datapoints({ accountId: '000000000000', region: 'us-east-1', namespace: 'App', metricName, dimensions, startMs: t - 60_000, endMs: t + 119_000 });
    const latency = await read('Latency', dimensionsKey({ Route: '/a' }));
    assert.equal(latency.length, 1);
    assert.equal(latency[0]!.sample_count, 2);
    assert.equal(latency[0]!.sum, 200);
    assert.equal(latency[0]!.unit, 'Milliseconds');
    const errorsMetric = await read('Errors', dimensionsKey({}));
    assert.deepEqual(errorsMetric.map((p) => [p.sample_count, p.sum]), [[1, 1]]);
    // Minutes with logs and no match record the default once each: two batches in one minute, one 0.
    const quiet = t + 60_000;
    for (const ms of [1000, 2000]) {
      await logs.send(new PutLogEventsCommand({ logGroupName: '/metered', logStreamName: 's', logEvents: [{ timestamp: quiet + ms, message: 'all fine' }] }));
    }
    await server.lambkin.flushLogs();
    await server.lambkin.metrics.flush();
    const withDefault = await read('Errors', dimensionsKey({}));
    assert.deepEqual(withDefault.map((p) => [Number(p.timestamp) - t, p.sample_count, p.sum]), [[0, 1, 1], [60_000, 1, 0]]);

    await logs.send(new DeleteMetricFilterCommand({ logGroupName: '/metered', filterName: 'errors' }));
    const gone = await failure(logs.send(new DeleteMetricFilterCommand({ logGroupName: '/metered', filterName: 'errors' })));
    assert.equal(gone.message, 'The specified metric filter does not exist.');
  });

  test("a user's key is held to its policies: logs actions on the group's and stream's ARNs, AccessDeniedException otherwise", async () => {
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: 'log-writer' }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['logs:PutLogEvents', 'logs:CreateLogStream'], Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/iam-ok:*' },
        { Effect: 'Allow', Action: 'logs:Describe*', Resource: '*' },
      ],
    };
    await iam.send(new PutUserPolicyCommand({ UserName: 'log-writer', PolicyName: 'write', PolicyDocument: JSON.stringify(policy) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'log-writer' }))).AccessKey!;
    const writer = new CloudWatchLogsClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, maxAttempts: 1 });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/iam-ok' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/iam-no' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/iam-no', logStreamName: 's' }));
    await writer.send(new CreateLogStreamCommand({ logGroupName: '/iam-ok', logStreamName: 's' }));
    await writer.send(new PutLogEventsCommand({ logGroupName: '/iam-ok', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'allowed' }] }));
    assert.ok((await writer.send(new DescribeLogGroupsCommand({}))).logGroups!.length > 0);
    const denied = await failure(writer.send(new PutLogEventsCommand({ logGroupName: '/iam-no', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'x' }] })));
    assert.deepEqual(denied, {
      name: 'AccessDeniedException',
      message:
        'User: arn:aws:iam::000000000000:user/log-writer is not authorized to perform: logs:PutLogEvents on resource: arn:aws:logs:us-east-1:000000000000:log-group:/iam-no:log-stream:s because no identity-based policy allows the logs:PutLogEvents action',
      status: 400,
    });
    const deleteDenied = await failure(writer.send(new DeleteLogGroupCommand({ logGroupName: '/iam-ok' })));
    assert.equal(deleteDenied.name, 'AccessDeniedException');
  });

  test('Logs Insights: fields, filter, parse, stats by bin(5m), sort and limit', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/insights' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/insights', logStreamName: 's' }));
    const base = Math.floor((Date.now() - HOUR) / 300_000) * 300_000;
    const lines = [
      { timestamp: base + 1_000, message: '{"level":"ERROR","latency":100}' },
      { timestamp: base + 2_000, message: '{"level":"INFO","latency":20}' },
      { timestamp: base + 301_000, message: '{"level":"ERROR","latency":300}' },
      { timestamp: base + 302_000, message: 'user=alice action=login' },
      { timestamp: base + 303_000, message: 'user=bob action=logout' },
    ];
    await logs.send(new PutLogEventsCommand({ logGroupName: '/insights', logStreamName: 's', logEvents: lines }));
    const run = async (queryString: string) => {
      const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: '/insights', startTime: Math.floor(base / 1000) - 60, endTime: Math.floor(Date.now() / 1000), queryString }));
      for (;;) {
        const r = await logs.send(new GetQueryResultsCommand({ queryId }));
        if (r.status === 'Complete') return r;
        assert.ok(r.status === 'Running' || r.status === 'Scheduled', r.status);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const rows = (r: Awaited<ReturnType<typeof run>>) => r.results!.map((row) => Object.fromEntries(row.filter((f) => f.field !== '@ptr').map((f) => [f.field, f.value])));

    const errorsOnly = await run('fields @timestamp, level, latency | filter level = "ERROR" | sort latency desc');
    assert.deepEqual(rows(errorsOnly).map((r) => r.latency), ['300', '100']);
    assert.equal(rows(errorsOnly)[0]!['@timestamp'], new Date(base + 301_000).toISOString().replace('T', ' ').replace('Z', ''));
    assert.equal(errorsOnly.statistics?.recordsScanned, 5);
    assert.equal(errorsOnly.statistics?.recordsMatched, 2);

    const binned = await run('filter ispresent(latency) | stats count(*) as n, avg(latency) as mean, max(latency) by bin(5m)');
    assert.deepEqual(rows(binned), [
      { 'bin(5m)': new Date(base).toISOString().replace('T', ' ').replace('Z', ''), n: '2', mean: '60', 'max(latency)': '100' },
      { 'bin(5m)': new Date(base + 300_000).toISOString().replace('T', ' ').replace('Z', ''), n: '1', mean: '300', 'max(latency)': '300' },
    ]);
    const parsed = await run('parse @message "user=* action=*" as who, what | filter ispresent(who) | fields who, what | sort who asc | limit 1');
    assert.deepEqual(rows(parsed), [{ who: 'alice', what: 'login' }]);
    const regex = await run('parse @message /user=(?<who>\\w+)/ | filter who like /b.b/ | stats count(*) by who');
    assert.deepEqual(rows(regex), [{ who: 'bob', 'count(*)': '1' }]);

    const stopped = await failure(logs.send(new StopQueryCommand({ queryId: (await logs.send(new DescribeQueriesCommand({}))).queries![0]!.queryId })));
    assert.deepEqual(stopped, { name: 'InvalidParameterException', message: 'Query is not running.', status: 400 });
    const malformed = await failure(logs.send(new StartQueryCommand({ logGroupName: '/insights', startTime: 0, endTime: 1, queryString: 'fields | |' })));
    assert.equal(malformed.name, 'MalformedQueryException');
    const noGroup = await failure(logs.send(new StartQueryCommand({ logGroupName: '/nope', startTime: 0, endTime: 1, queryString: 'fields @message' })));
    assert.equal(noGroup.name, 'ResourceNotFoundException');
    assert.match(noGroup.message, /^Log group '\/nope' does not exist for account ID '000000000000' \(Service: AWSLogs; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
  });
});
