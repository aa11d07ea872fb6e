// CloudWatch Logs figures: how long the Logs API takes over a large group (events already stored),
// each the median of several calls through the SDK: a FilterLogEvents page with no pattern, a page
// of a JSON pattern matching 1 event in 100, a GetLogEvents tail and head, and an Insights
// `stats … by bin(5m)` over every event.
import { performance } from 'node:perf_hooks';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, GetLogEventsCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { BenchServer } from './lambkin.js';
import { median, round3 } from './stats.js';

export interface LogsFigures {
  events: number;
  streams: number;
  /** Median ms of a FilterLogEvents page (100 events) with no pattern. */
  filterPageMs: number;
  /** Median ms of a FilterLogEvents page (100 events) of `{ $.status = 500 }`, which 1 event in 100 matches. */
  filterJsonPageMs: number;
  /** Median ms of GetLogEvents (100 events) from the head, and from the tail (the default). */
  getHeadMs: number;
  getTailMs: number;
  /** Median ms from StartQuery to a Complete GetQueryResults for `stats count(*), avg(ms) by bin(5m)`. */
  insightsStatsMs: number;
}

const STREAMS = 4;
const PER_PUT = 5_000;

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return round3(median(samples));
}

export async function measureLogs(server: BenchServer, options: { events: number; runs: number }): Promise<LogsFigures> {
  const logs = new CloudWatchLogsClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const group = '/bench/logs';
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  for (let s = 0; s < STREAMS; s++) await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: `s${s}` }));
  const perStream = Math.ceil(options.events / STREAMS);
  const start = Date.now() - 3_600_000;
  for (let s = 0; s < STREAMS; s++) {
    for (let i = 0; i < perStream; i += PER_PUT) {
      const logEvents = Array.from({ length: Math.min(PER_PUT, perStream - i) }, (_, k) => {
        const n = i + k;
        return { timestamp: start + n * 10 + s, message: JSON.stringify({ n, status: n % 100 === 0 ? 500 : 200, ms: n % 250, path: `/item/${n % 1000}` }) };
      });
      await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: `s${s}`, logEvents }));
    }
  }
  const page = { logGroupName: group, limit: 100 };
  return {
    events: perStream * STREAMS,
    streams: STREAMS,
    filterPageMs: await timed(options.runs, () => logs.send(new FilterLogEventsCommand(page))),
    filterJsonPageMs: await timed(options.runs, () => logs.send(new FilterLogEventsCommand({ ...page, filterPattern: '{ $.status = 500 }' }))),
    getHeadMs: await timed(options.runs, () => logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's0', limit: 100, startFromHead: true }))),
    getTailMs: await timed(options.runs, () => logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's0', limit: 100 }))),
    insightsStatsMs: await timed(options.runs, async () => {
      const { queryId } = await logs.send(
        new StartQueryCommand({ logGroupName: group, startTime: Math.floor(start / 1000) - 1, endTime: Math.floor(Date.now() / 1000), queryString: 'stats count(*), avg(ms) by bin(5m)' }),
      );
      for (;;) {
        const r = await logs.send(new GetQueryResultsCommand({ queryId }));
        if (r.status !== 'Running' && r.status !== 'Scheduled') return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }),
  };
}
