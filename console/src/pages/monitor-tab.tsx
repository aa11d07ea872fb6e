import { useMemo, useState } from 'preact/hooks';
import { Chart, type ChartLine } from '../chart.js';
import { filled, metricSeries, type MetricQuery } from '../metrics.js';
import { ErrorBox, Loading, go, useAsync } from '../ui.js';

const RANGES: Record<string, { hours: number; period: number }> = {
  '1h': { hours: 1, period: 60 },
  '3h': { hours: 3, period: 60 },
  '1d': { hours: 24, period: 60 },
  '1w': { hours: 168, period: 3600 },
};

const QUERIES = (fn: string): MetricQuery[] => {
  const d = { FunctionName: fn };
  return [
    { id: 'inv', metric: 'Invocations', stat: 'Sum', dimensions: d },
    { id: 'err', metric: 'Errors', stat: 'Sum', dimensions: d },
    { id: 'thr', metric: 'Throttles', stat: 'Sum', dimensions: d },
    { id: 'p50', metric: 'Duration', stat: 'p50', dimensions: d },
    { id: 'p90', metric: 'Duration', stat: 'p90', dimensions: d },
    { id: 'p99', metric: 'Duration', stat: 'p99', dimensions: d },
    { id: 'conc', metric: 'ConcurrentExecutions', stat: 'Maximum', dimensions: d },
    { id: 'age', metric: 'IteratorAge', stat: 'Maximum', dimensions: d },
    { id: 'async', metric: 'AsyncEventAge', stat: 'Maximum', dimensions: d },
  ];
};

export function MonitorTab(props: { name: string }) {
  const [range, setRange] = useState('1h');
  const now = useMemo(() => Date.now(), [range]);
  const { hours, period } = RANGES[range]!;
  const start = now - hours * 3_600_000;
  const data = useAsync(() => metricSeries(QUERIES(props.name), start, now + 60_000, period), [props.name, range]);
  const toLogs = (t: number) => go(`/functions/${encodeURIComponent(props.name)}?tab=logs&start=${t * 1000}&minutes=${period / 60}`);

  const charts = useMemo(() => {
    const s = (id: string, nulls = false) => filled(data.data?.[id], start, now, period, nulls ? (null as unknown as number) : 0);
    const ts = s('inv').timestamps;
    const line = (label: string, id: string, color: string, nulls = false): ChartLine => ({ label, values: s(id, nulls).values, color });
    const out: { title: string; lines: ChartLine[]; testId?: string }[] = [
      { title: 'Invocations', lines: [line('Invocations', 'inv', '#2f7bd8')], testId: 'chart-invocations' },
      { title: 'Errors and throttles', lines: [line('Errors', 'err', '#d64545'), line('Throttles', 'thr', '#d6a045')] },
      { title: 'Duration (ms)', lines: [line('p50', 'p50', '#2f9d6a', true), line('p90', 'p90', '#d6a045', true), line('p99', 'p99', '#d64545', true)] },
      { title: 'Concurrent executions', lines: [line('Maximum', 'conc', '#8a5cd6')] },
    ];
    if ((data.data?.age?.values.length ?? 0) > 0) out.push({ title: 'Iterator age (ms)', lines: [line('Maximum', 'age', '#5c8ad6', true)] });
    if ((data.data?.async?.values.length ?? 0) > 0) out.push({ title: 'Async event age (ms)', lines: [line('Maximum', 'async', '#5c8ad6', true)] });
    return { ts, out };
  }, [data.data]);

  return (
    <div>
      <div class="page-head">
        <div role="group" aria-label="Range" class="segmented">
          {Object.keys(RANGES).map((r) => (
            <button key={r} aria-pressed={range === r} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
        <button class="secondary" onClick={data.reload}>
          Refresh
        </button>
      </div>
      <p class="muted">Click a point (or focus a chart, move with ← →, press Enter) to open the logs of that {period === 60 ? 'minute' : 'hour'}.</p>
      <ErrorBox error={data.error} />
      <Loading when={data.loading} />
      <div class="grid2">
        {charts.out.map((c) => (
          <Chart key={c.title} title={c.title} timestamps={charts.ts} lines={c.lines} onPick={toLogs} testId={c.testId} />
        ))}
      </div>
    </div>
  );
}
