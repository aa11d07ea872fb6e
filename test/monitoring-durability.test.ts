import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutSubscriptionFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { freePort, startChild } from './support/child-server.js';
import { RecordingServer, recorderSource } from './support/recording-server.js';
import { makeZip, ROLE } from './support/zip.js';

const ALARMS = 4;
const LOG_WRITERS = 3;
const EVENTS_PER_PUT = 5;
/** Each loop stops after this many calls: enough to be under way at the kill, few enough to deliver quickly. */
const CALLS_PER_LOOP = 12;
const ACCOUNT = '000000000000';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** What a subscription delivery carried, decoded as a subscriber would. */
function deliveredMessages(recording: RecordingServer): Set<string> {
  const out = new Set<string>();
  for (const r of recording.of('log-sink')) {
    const data = (r.event as { awslogs: { data: string } }).awslogs.data;
    const doc = JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')) as { logEvents: Array<{ message: string }> };
    for (const e of doc.logEvents) out.add(e.message);
  }
  return out;
}

function deliveredReasons(recording: RecordingServer): Set<string> {
  return new Set(recording.of('alarm-sink').map((r) => (r.event as { alarmData: { state: { reason: string } } }).alarmData.state.reason));
}

/** What Lambda's async queue holds for the two sinks: alarm reasons and log messages. */
function queuedAsyncEvents(dataDir: string): { reasons: string[]; messages: string[] } {
  const db = new SqliteDatabase(path.join(dataDir, 'lambkin.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT function_name, payload FROM async_events').all() as Array<{ function_name: string; payload: Buffer }>;
    const reasons: string[] = [];
    const messages: string[] = [];
    for (const row of rows) {
      const event = JSON.parse(row.payload.toString('utf8')) as { alarmData?: { state: { reason: string } }; awslogs?: { data: string } };
      if (event.alarmData) reasons.push(event.alarmData.state.reason);
      if (event.awslogs) {
        const doc = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as { logEvents: Array<{ message: string }> };
        for (const e of doc.logEvents) messages.push(e.message);
      }
    }
    return { reasons, messages };
  } finally {
    db.close();
  }
}

/** Rows of a table in a server's store (read-only, beside it or after it was killed). */
function rowsIn(dataDir: string, table: string): number {
  const db = new SqliteDatabase(path.join(dataDir, 'lambkin.db'), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function peek(dataDir: string): string {
  const db = new SqliteDatabase(path.join(dataDir, 'lambkin.db'), { readonly: true });
  try {
    return JSON.stringify([db.prepare('SELECT id, attempts, last_error, next_attempt_at, lease_owner FROM cw_alarm_actions LIMIT 3').all(), db.prepare('SELECT id, function_name, next_attempt_at, lease_owner, invoke_count, error_count, throttle_count, last_response FROM async_events LIMIT 3').all(), Date.now()]);
  } finally {
    db.close();
  }
}

describe('alarm actions and log subscription deliveries are durable', () => {
  let recording: RecordingServer;
  before(async () => {
    recording = await RecordingServer.start();
  });
  after(() => recording.close());

  test('kill -9 while state changes and log writes commit: after restart every acknowledged one is handed to Lambda', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-monitoring-kill-'));
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const cw = new CloudWatchClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const logs = new CloudWatchLogsClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    let child = await startChild(dataDir, port);
    try {
      for (const [name, principal] of [['alarm-sink', 'lambda.alarms.cloudwatch.amazonaws.com'], ['log-sink', 'logs.amazonaws.com']] as const) {
        await lambda.send(new CreateFunctionCommand({
          FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 30,
          Code: { ZipFile: makeZip({ 'index.js': recorderSource(name) }) }, Environment: { Variables: { RECORDER_URL: recording.url } },
        }));
        await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
        await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'cw', Action: 'lambda:InvokeFunction', Principal: principal }));
      }
      const alarmSink = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:alarm-sink`;
      for (let k = 0; k < ALARMS; k++) {
        await cw.send(new PutMetricAlarmCommand({
          AlarmName: `durable-${k}`, Namespace: 'Durability', MetricName: 'Nothing', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
          Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore', AlarmActions: [alarmSink], OKActions: [alarmSink],
        }));
      }
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/durable' }));
      for (let w = 0; w < LOG_WRITERS; w++) await logs.send(new CreateLogStreamCommand({ logGroupName: '/durable', logStreamName: `w${w}` }));
      await logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/durable', filterName: 'all', filterPattern: '', destinationArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:log-sink` }));

      // Each alarm flips ALARM/OK from its own loop, so every acknowledged call is a transition
      // with an action; each log writer puts batches to its own stream.
      const ackedReasons = new Set<string>();
      const ackedMessages = new Set<string>();
      let stop = false;
      const alarmLoop = async (k: number) => {
        for (let n = 0; !stop && n < CALLS_PER_LOOP; n++) {
          const reason = `alarm ${k} change ${n}`;
          try {
            await cw.send(new SetAlarmStateCommand({ AlarmName: `durable-${k}`, StateValue: n % 2 === 0 ? 'ALARM' : 'OK', StateReason: reason }));
            ackedReasons.add(reason);
          } catch {
            return; // cut off by the kill: not acknowledged, so not promised
          }
        }
      };
      const logLoop = async (w: number) => {
        for (let n = 0; !stop && n < CALLS_PER_LOOP; n++) {
          const messages = Array.from({ length: EVENTS_PER_PUT }, (_, i) => `writer ${w} put ${n} event ${i}`);
          try {
            const now = Date.now();
            await logs.send(new PutLogEventsCommand({ logGroupName: '/durable', logStreamName: `w${w}`, logEvents: messages.map((message, i) => ({ timestamp: now + i, message })) }));
            for (const m of messages) ackedMessages.add(m);
          } catch {
            return;
          }
        }
      };
      const loops = Promise.all([...Array.from({ length: ALARMS }, (_, k) => alarmLoop(k)), ...Array.from({ length: LOG_WRITERS }, (_, w) => logLoop(w))]);
      const deadline = Date.now() + 60_000;
      while ((ackedReasons.size < 24 || ackedMessages.size < 90) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      stop = true;
      await loops;

      // The kill fell while acknowledged work was on its way: in an outbox (committed with the
      // change, not yet handed on) or in Lambda's async queue (handed on, not yet run). Which of
      // the two holds it depends on the host's speed; both must survive the kill.
      const pendingActions = rowsIn(dataDir, 'cw_alarm_actions');
      const pendingDocuments = rowsIn(dataDir, 'logs_subscription_deliveries');
      const queuedAtKill = queuedAsyncEvents(dataDir);
      const undeliveredReasons = [...ackedReasons].filter((r) => !deliveredReasons(recording).has(r)).length;
      const undeliveredMessages = [...ackedMessages].filter((m) => !deliveredMessages(recording).has(m)).length;
      assert.ok(pendingActions + queuedAtKill.reasons.length > 0, `no alarm action was waiting at the kill (${ackedReasons.size} acknowledged, ${undeliveredReasons} not yet delivered)`);
      assert.ok(pendingDocuments + queuedAtKill.messages.length > 0, `no subscription delivery was waiting at the kill (${ackedMessages.size} acknowledged, ${undeliveredMessages} not yet delivered)`);

      child = await startChild(dataDir, port);
      // Nothing lost: each acknowledged change and event has reached its function, or sits in
      // Lambda's own durable async queue (whose crash-safety async-durability.test.ts checks),
      // once the outboxes are empty. (A loaded host makes the functions slow, not the hand-over.)
      const accounted = () => {
        const queued = queuedAsyncEvents(dataDir);
        const reasons = new Set([...deliveredReasons(recording), ...queued.reasons]);
        const messages = new Set([...deliveredMessages(recording), ...queued.messages]);
        return {
          outboxes: rowsIn(dataDir, 'cw_alarm_actions') + rowsIn(dataDir, 'logs_subscription_deliveries'),
          missingReasons: [...ackedReasons].filter((r) => !reasons.has(r)).length,
          missingMessages: [...ackedMessages].filter((m) => !messages.has(m)).length,
        };
      };
      let state = accounted();
      for (const deadline = Date.now() + 60_000; (state.outboxes > 0 || state.missingReasons > 0 || state.missingMessages > 0) && Date.now() < deadline; state = accounted()) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(state, { outboxes: 0, missingReasons: 0, missingMessages: 0 }, `${peek(dataDir)}`);
      console.log(`# at the kill: ${ackedReasons.size} state changes and ${ackedMessages.size} log events acknowledged; ${pendingActions} actions and ${pendingDocuments} documents in the outboxes, ${queuedAtKill.reasons.length} changes and ${queuedAtKill.messages.length} events in Lambda's async queue; ${undeliveredReasons} changes and ${undeliveredMessages} events not yet delivered; after the restart every one reached its function (${deliveredReasons(recording).size} changes, ${deliveredMessages(recording).size} events so far) or Lambda's async queue`);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
