import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DisableRuleCommand, EnableRuleCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { DeliverySinks } from '../src/contracts/delivery-sinks.js';
import { ShiftableClock } from '../src/clock.js';
import { recorderArn, RecordingSink } from './support/recording-sink.js';
import { startTestServer, type TestServer } from './support/server.js';

const ACCOUNT = '000000000000';
const at = (iso: string) => Date.parse(iso);

describe('schedule rules fire on the injected clock', () => {
  let server: TestServer;
  const clock = new ShiftableClock(at('2026-01-31T09:59:30Z'));
  const recorder = new RecordingSink();

  /**
   * Sends with a fresh client whose signatures carry the shifted time (the edge checks request-time
   * skew; a reused client would re-sample its offset from our real-time Date header).
   */
  async function send<T>(command: object): Promise<T> {
    const client = new EventBridgeClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      systemClockOffset: clock.offset,
    });
    try {
      return (await client.send(command as never)) as T;
    } finally {
      client.destroy();
    }
  }

  async function scheduleRule(name: string, expression: string): Promise<string> {
    const { RuleArn } = await send<{ RuleArn: string }>(new PutRuleCommand({ Name: name, ScheduleExpression: expression }));
    await send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'rec', Arn: recorderArn(name) }] }));
    return RuleArn;
  }

  /** Moves the clock to `iso` and waits for the runner's pass (real time is only a few ms). */
  async function moveTo(iso: string): Promise<void> {
    clock.setTime(at(iso));
    await new Promise((r) => setTimeout(r, 150));
  }

  const times = (name: string) => recorder.for(recorderArn(name)).map((m) => JSON.parse(m.body).time as string);

  before(async () => {
    const sinks = new DeliverySinks();
    sinks.register(recorder);
    server = await startTestServer({}, { clock, sinks });
  });
  after(() => server.stop());

  test('L: last day of the month, across a month end; the scheduled-event shape', async () => {
    await moveTo('2026-01-31T09:59:30Z');
    const arn = await scheduleRule('month-end', 'cron(0 10 L * ? *)');
    await moveTo('2026-01-31T09:59:50Z');
    assert.deepEqual(times('month-end'), []);
    await moveTo('2026-01-31T10:00:05Z');
    const [first] = await recorder.waitFor(recorderArn('month-end'));
    const event = JSON.parse(first!.body);
    assert.deepEqual({ ...event, id: undefined }, {
      version: '0', id: undefined, 'detail-type': 'Scheduled Event', source: 'aws.events', account: ACCOUNT, time: '2026-01-31T10:00:00Z', region: 'us-east-1', resources: [arn], detail: {},
    });
    assert.match(event.id, /^[0-9a-f-]{36}$/);
    await moveTo('2026-02-27T10:00:05Z');
    await moveTo('2026-02-28T10:00:05Z');
    await recorder.waitFor(recorderArn('month-end'), 2);
    assert.deepEqual(times('month-end'), ['2026-01-31T10:00:00Z', '2026-02-28T10:00:00Z']);
  });

  test('W: the weekday nearest the 15th (Saturday 15 August 2026 fires on Friday the 14th)', async () => {
    await moveTo('2026-08-13T12:00:30Z');
    await scheduleRule('nearest-weekday', 'cron(0 12 15W * ? *)');
    await moveTo('2026-08-14T11:59:59Z');
    assert.deepEqual(times('nearest-weekday'), []);
    await moveTo('2026-08-14T12:00:01Z');
    await recorder.waitFor(recorderArn('nearest-weekday'));
    await moveTo('2026-08-15T12:00:01Z');
    assert.deepEqual(times('nearest-weekday'), ['2026-08-14T12:00:00Z']);
  });

  test('#: the first Monday of the month, and 6L: the last Friday', async () => {
    await moveTo('2026-08-31T00:00:00Z');
    await scheduleRule('first-monday', 'cron(0 9 ? * 2#1 *)');
    await scheduleRule('last-friday', 'cron(15 10 ? * 6L 2026-2027)');
    await moveTo('2026-09-07T09:00:02Z');
    await recorder.waitFor(recorderArn('first-monday'));
    assert.deepEqual(times('first-monday'), ['2026-09-07T09:00:00Z']);
    await moveTo('2026-09-25T10:15:02Z');
    await recorder.waitFor(recorderArn('last-friday'));
    assert.deepEqual(times('last-friday'), ['2026-09-25T10:15:00Z']);
  });

  test('rate(): counts from the rule creation, to the minute; a disabled rule does not fire or replay', async () => {
    await moveTo('2026-10-01T10:02:40Z');
    await scheduleRule('every-five', 'rate(5 minutes)');
    await moveTo('2026-10-01T10:07:01Z');
    await recorder.waitFor(recorderArn('every-five'));
    await moveTo('2026-10-01T10:12:01Z');
    await recorder.waitFor(recorderArn('every-five'), 2);
    assert.deepEqual(times('every-five'), ['2026-10-01T10:07:00Z', '2026-10-01T10:12:00Z']);
    await send(new DisableRuleCommand({ Name: 'every-five' }));
    await moveTo('2026-10-01T10:30:01Z');
    assert.equal(times('every-five').length, 2);
    await send(new EnableRuleCommand({ Name: 'every-five' }));
    await moveTo('2026-10-01T10:34:01Z');
    assert.equal(times('every-five').length, 2);
    await moveTo('2026-10-01T10:35:01Z');
    await recorder.waitFor(recorderArn('every-five'), 3);
    assert.deepEqual(times('every-five').slice(2), ['2026-10-01T10:35:00Z']);
  });

  test('a restart never fires a tick twice; ticks missed while down fire once, as the latest', async () => {
    await moveTo('2026-11-01T00:00:30Z');
    await scheduleRule('minutely', 'cron(* * * * ? *)');
    await moveTo('2026-11-01T00:01:01Z');
    await recorder.waitFor(recorderArn('minutely'));
    await server.restart();
    await moveTo('2026-11-01T00:01:30Z');
    assert.deepEqual(times('minutely'), ['2026-11-01T00:01:00Z']);
    await server.restart(() => clock.setTime(at('2026-11-01T00:05:30Z')));
    await recorder.waitFor(recorderArn('minutely'), 2);
    await moveTo('2026-11-01T00:05:40Z');
    assert.deepEqual(times('minutely'), ['2026-11-01T00:01:00Z', '2026-11-01T00:05:00Z']);
    await moveTo('2026-11-01T00:06:01Z');
    await recorder.waitFor(recorderArn('minutely'), 3);
    assert.deepEqual(times('minutely').slice(2), ['2026-11-01T00:06:00Z']);
  });
});
