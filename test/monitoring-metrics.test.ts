import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { rawRequest } from './support/raw-http.js';
import { startTestServer, type TestServer } from './support/server.js';

const run = promisify(execFile);
const MINUTE = 60_000;

/** A signed query-protocol CloudWatch request (Action=…&Version=2010-08-01), as older clients send. */
async function cloudwatchQuery(baseUrl: string, params: Record<string, string>) {
  const url = new URL('/', baseUrl);
  const body = new URLSearchParams({ Version: '2010-08-01', ...params }).toString();
  const unsigned = new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
  });
  const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'monitoring', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(unsigned);
  return rawRequest(baseUrl, { method: 'POST', path: '/', headers: signed.headers, body });
}

describe('CloudWatch metrics', () => {
  let server: TestServer;
  let cw: CloudWatchClient;
  // The start of the current minute: every point below lands in it or the one before.
  const minute = Math.floor(Date.now() / MINUTE) * MINUTE;
  const range = { StartTime: new Date(minute - 5 * MINUTE), EndTime: new Date(minute + 2 * MINUTE) };
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' };
  const aws = async (...args: string[]) => JSON.parse((await run('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], { env })).stdout || '{}') as Record<string, unknown>;

  before(async () => {
    server = await startTestServer();
    cw = new CloudWatchClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(async () => {
    await server?.stop();
  });

  test('the health answer lists monitoring', async () => {
    const health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as { services: string[] };
    assert.ok(health.services.includes('monitoring'));
  });

  test('PutMetricData values and counts read back as statistics and percentiles (SDK, awsJson 1.0)', async () => {
    const Dimensions = [{ Name: 'Service', Value: 'checkout' }];
    // 1..10 once each, and 100 five times: 15 samples, sum 555.
    await cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [
      { MetricName: 'Latency', Dimensions, Unit: 'Milliseconds', Timestamp: new Date(minute), Values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100], Counts: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5] },
    ] }));
    const stats = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', Dimensions, ...range, Period: 60, Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'] }));
    assert.equal(stats.Label, 'Latency');
    assert.equal(stats.Datapoints?.length, 1);
    const [p] = stats.Datapoints!;
    assert.equal(p!.Timestamp?.getTime(), minute);
    assert.deepEqual([p!.SampleCount, p!.Sum, p!.Average, p!.Minimum, p!.Maximum, p!.Unit], [15, 555, 37, 1, 100, 'Milliseconds']);
    const pct = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', Dimensions, ...range, Period: 60, ExtendedStatistics: ['p50', 'p60', 'p67', 'p99'] }));
    // Nearest rank over 15 samples: p50 → 8th (8), p60 → 9th (9), p67 → 11th (100), p99 → 15th (100).
    assert.deepEqual(pct.Datapoints?.[0]?.ExtendedStatistics, { p50: 8, p60: 9, p67: 100, p99: 100 });
    // Another dimension set is another metric.
    const other = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', ...range, Period: 60, Statistics: ['Sum'] }));
    assert.deepEqual(other.Datapoints, []);
  });

  test('bad input gets CloudWatch errors', async () => {
    await assert.rejects(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'X', Value: 1 }] })), (err: Error) => {
      assert.equal(err.name, 'InvalidParameterValueException');
      assert.equal(err.message, 'The value AWS/Lambda for parameter Namespace is invalid.');
      return true;
    });
    await assert.rejects(cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [{ MetricName: 'X', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] })), (err: Error) => {
      assert.equal(err.name, 'InvalidParameterCombinationException');
      assert.match(err.message, /MetricData\.member\.1\.Value and MetricData\.member\.1\.StatisticValues are mutually exclusive/);
      return true;
    });
    await assert.rejects(cw.send(new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', StartTime: new Date(minute - 2 * 86_400_000), EndTime: new Date(minute), Period: 60, Statistics: ['Sum'] })), (err: Error) => {
      assert.equal(err.name, 'InvalidParameterCombinationException');
      assert.match(err.message, /^You have requested up to 2,880 datapoints, which exceeds the limit of 1,440\./);
      return true;
    });
    await assert.rejects(cw.send(new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', ...range, Period: 45, Statistics: ['Sum'] })), { name: 'InvalidParameterValueException' });
  });

  test('GetMetricData: MetricStat, arithmetic, SUM(METRICS()), FILL and RATE, newest first', async () => {
    await cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [
      { MetricName: 'Orders', Value: 10, Timestamp: new Date(minute - 2 * MINUTE) },
      { MetricName: 'Orders', Value: 40, Timestamp: new Date(minute) },
      { MetricName: 'Failures', Value: 4, Timestamp: new Date(minute - 2 * MINUTE) },
      { MetricName: 'Failures', Value: 2, Timestamp: new Date(minute) },
    ] }));
    const stat = (Id: string, MetricName: string) => ({ Id, MetricStat: { Metric: { Namespace: 'Shop', MetricName }, Period: 60, Stat: 'Sum' } });
    const out = await cw.send(new GetMetricDataCommand({ ...range, MetricDataQueries: [
      stat('orders', 'Orders'), stat('failures', 'Failures'),
      { Id: 'rate', Expression: 'failures / orders * 100', Label: 'Failure rate' },
      { Id: 'total', Expression: 'SUM(METRICS())' },
      { Id: 'filled', Expression: 'FILL(orders, 0)' },
      { Id: 'growth', Expression: 'RATE(orders)' },
      { Id: 'hidden', Expression: 'orders * 2', ReturnData: false },
    ] }));
    const byId = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r]));
    assert.deepEqual(Object.keys(byId), ['orders', 'failures', 'rate', 'total', 'filled', 'growth']);
    const series = (id: string) => byId[id]!.Timestamps!.map((t: Date, i: number) => [(t.getTime() - minute) / MINUTE, byId[id]!.Values![i]]);
    assert.deepEqual(series('orders'), [[0, 40], [-2, 10]]);
    assert.equal(byId.orders!.Label, 'Orders');
    assert.equal(byId.rate!.Label, 'Failure rate');
    assert.deepEqual(series('rate'), [[0, 5], [-2, 40]]);
    assert.deepEqual(series('total'), [[0, 42], [-2, 14]]);
    assert.deepEqual(series('filled'), [[1, 0], [0, 40], [-1, 0], [-2, 10], [-3, 0], [-4, 0], [-5, 0]]);
    // (40 − 10) over 120 s.
    assert.deepEqual(series('growth'), [[0, 0.25]]);
    assert.equal(byId.orders!.StatusCode, 'Complete');
    await assert.rejects(cw.send(new GetMetricDataCommand({ ...range, MetricDataQueries: [{ Id: 'x', Expression: 'nothing + 1' }] })), { name: 'InvalidParameterValueException' });
  });

  test('ListMetrics filters by namespace, name and dimensions', async () => {
    const all = await cw.send(new ListMetricsCommand({ Namespace: 'Shop' }));
    assert.deepEqual(all.Metrics?.map((m) => m.MetricName).sort(), ['Failures', 'Latency', 'Orders']);
    const byDimension = await cw.send(new ListMetricsCommand({ Dimensions: [{ Name: 'Service' }] }));
    assert.deepEqual(byDimension.Metrics, [{ Namespace: 'Shop', MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'checkout' }] }]);
    const none = await cw.send(new ListMetricsCommand({ Dimensions: [{ Name: 'Service', Value: 'cart' }] }));
    assert.deepEqual(none.Metrics, []);
  });

  test('the AWS CLI (Smithy RPC v2 CBOR): put-metric-data, get-metric-statistics, list-metrics, put-metric-alarm and an error', async (t) => {
    try {
      await run('aws', ['--version']);
    } catch {
      t.skip('the AWS CLI is not installed (Debian package awscli)');
      return;
    }
    await aws('cloudwatch', 'put-metric-data', '--namespace', 'Cli', '--metric-data', JSON.stringify([
      { MetricName: 'Jobs', Value: 3, Unit: 'Count', Timestamp: new Date(minute).toISOString(), Dimensions: [{ Name: 'Queue', Value: 'q1' }] },
      { MetricName: 'Jobs', Value: 5, Unit: 'Count', Timestamp: new Date(minute).toISOString(), Dimensions: [{ Name: 'Queue', Value: 'q1' }] },
    ]));
    const stats = await aws('cloudwatch', 'get-metric-statistics', '--namespace', 'Cli', '--metric-name', 'Jobs', '--dimensions', 'Name=Queue,Value=q1',
      '--start-time', range.StartTime.toISOString(), '--end-time', range.EndTime.toISOString(), '--period', '60', '--statistics', 'Sum', 'Maximum');
    const points = stats.Datapoints as Record<string, unknown>[];
    assert.equal(points.length, 1);
    assert.deepEqual([points[0]!.Sum, points[0]!.Maximum, points[0]!.Unit], [8, 5, 'Count']);
    const listed = await aws('cloudwatch', 'list-metrics', '--namespace', 'Cli');
    assert.deepEqual(listed.Metrics, [{ Namespace: 'Cli', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'q1' }] }]);
    await aws('cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-jobs', '--namespace', 'Cli', '--metric-name', 'Jobs', '--dimensions', 'Name=Queue,Value=q1',
      '--statistic', 'Maximum', '--period', '60', '--evaluation-periods', '1', '--threshold', '100', '--comparison-operator', 'GreaterThanThreshold');
    const described = await aws('cloudwatch', 'describe-alarms', '--alarm-names', 'cli-jobs');
    const [alarm] = described.MetricAlarms as Record<string, unknown>[];
    assert.equal(alarm!.AlarmArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:cli-jobs');
    assert.deepEqual([alarm!.Statistic, alarm!.Period, alarm!.Threshold, alarm!.ComparisonOperator, alarm!.TreatMissingData], ['Maximum', 60, 100, 'GreaterThanThreshold', 'missing']);
    assert.ok(['INSUFFICIENT_DATA', 'OK'].includes(alarm!.StateValue as string));
    await aws('cloudwatch', 'delete-alarms', '--alarm-names', 'cli-jobs');
    await assert.rejects(aws('cloudwatch', 'put-metric-data', '--namespace', 'AWS/EC2', '--metric-name', 'X', '--value', '1'), (err: Error & { stderr: string }) => {
      assert.match(err.stderr, /An error occurred \(InvalidParameterValue\) when calling the PutMetricData operation: The value AWS\/EC2 for parameter Namespace is invalid\./);
      return true;
    });
  });

  test('boto3 (CBOR): put_metric_data with a statistic set and get_metric_statistics', async (t) => {
    const script = `
import boto3, json, sys, datetime
cw = boto3.client('cloudwatch', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
minute = datetime.datetime.fromtimestamp(int(sys.argv[2]) / 1000, datetime.timezone.utc)
cw.put_metric_data(Namespace='Py', MetricData=[{'MetricName': 'Size', 'Timestamp': minute, 'StatisticValues': {'SampleCount': 4, 'Sum': 20, 'Minimum': 2, 'Maximum': 8}, 'Unit': 'Bytes'}])
out = cw.get_metric_statistics(Namespace='Py', MetricName='Size', StartTime=minute - datetime.timedelta(minutes=5), EndTime=minute + datetime.timedelta(minutes=2), Period=60, Statistics=['Average', 'SampleCount'])
p = out['Datapoints'][0]
print(json.dumps({'ts': p['Timestamp'].timestamp(), 'avg': p['Average'], 'n': p['SampleCount'], 'unit': p['Unit'], 'protocol': cw.meta.service_model.protocol}))
`;
    let stdout: string;
    try {
      ({ stdout } = await run('python3', ['-c', script, server.url, String(minute)]));
    } catch (err) {
      if (/No module named .?boto3/.test(String((err as { stderr?: string }).stderr))) {
        t.skip('boto3 is not installed (Debian package python3-boto3)');
        return;
      }
      throw err;
    }
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(out, { ts: minute / 1000, avg: 5, n: 4, unit: 'Bytes', protocol: 'smithy-rpc-v2-cbor' });
  });

  test('the query protocol answers in XML, errors included', async () => {
    const listed = await cloudwatchQuery(server.url, { Action: 'ListMetrics', Namespace: 'Cli' });
    assert.equal(listed.status, 200);
    assert.match(listed.body.toString(), /^<ListMetricsResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><ListMetricsResult><Metrics><member><Namespace>Cli<\/Namespace><MetricName>Jobs<\/MetricName><Dimensions><member><Name>Queue<\/Name><Value>q1<\/Value><\/member><\/Dimensions><\/member><\/Metrics><\/ListMetricsResult><ResponseMetadata><RequestId>/);
    const put = await cloudwatchQuery(server.url, { Action: 'PutMetricData', Namespace: 'Form', 'MetricData.member.1.MetricName': 'Hits', 'MetricData.member.1.Value': '2.5', 'MetricData.member.1.Timestamp': new Date(minute).toISOString() });
    assert.equal(put.status, 200);
    const stats = await cloudwatchQuery(server.url, {
      Action: 'GetMetricStatistics', Namespace: 'Form', MetricName: 'Hits', StartTime: range.StartTime.toISOString(), EndTime: range.EndTime.toISOString(), Period: '60', 'Statistics.member.1': 'Sum',
    });
    assert.match(stats.body.toString(), new RegExp(`<Datapoints><member><Timestamp>${new Date(minute).toISOString().replace('.000Z', 'Z')}</Timestamp><Sum>2.5</Sum><Unit>None</Unit></member></Datapoints>`));
    const bad = await cloudwatchQuery(server.url, { Action: 'PutMetricData', Namespace: 'Form' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.toString(), /<ErrorResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><Error><Type>Sender<\/Type><Code>MissingParameter<\/Code><Message>The parameter MetricData is required\.<\/Message><\/Error>/);
  });
});
