import { useMemo, useState } from 'preact/hooks';
import { billing, lambda } from '../api.js';
import { Chart } from '../chart.js';
import { activityOf, listAllFunctions } from '../functions.js';
import { filled, metricSeries, sum } from '../metrics.js';
import { ErrorBox, Loading, Section, formatTime, go, href, useAsync } from '../ui.js';

const RANGES = { hour: { hours: 1, period: 60 }, day: { hours: 24, period: 300 } } as const;

export function Dashboard() {
  const [range, setRange] = useState<keyof typeof RANGES>('hour');
  const now = useMemo(() => Date.now(), [range]);
  const { hours, period } = RANGES[range];
  const start = now - hours * 3_600_000;

  const account = useAsync(async () => {
    const [settings, functions] = await Promise.all([
      lambda<{ AccountLimit: { ConcurrentExecutions: number; UnreservedConcurrentExecutions: number }; AccountUsage: { FunctionCount: number } }>('GET', '/2016-08-19/account-settings/'),
      listAllFunctions(),
    ]);
    return { settings, functions };
  }, []);
  const charts = useAsync(
    () =>
      metricSeries(
        [
          { id: 'inv', metric: 'Invocations', stat: 'Sum' },
          { id: 'err', metric: 'Errors', stat: 'Sum' },
          { id: 'thr', metric: 'Throttles', stat: 'Sum' },
          { id: 'conc', metric: 'ConcurrentExecutions', stat: 'Maximum' },
        ],
        start,
        now + 60_000,
        period,
      ),
    [range],
  );
  const bill = useAsync(() => billing(), []);
  const failures = useAsync(async () => {
    const names = account.data?.functions.map((f) => f.FunctionName) ?? [];
    const activity = await activityOf(names, 24, now);
    return [...activity.entries()].filter(([, a]) => a.errors > 0).sort((a, b) => (b[1].lastErrorAt ?? 0) - (a[1].lastErrorAt ?? 0)).slice(0, 10);
  }, [account.data]);

  const inv = filled(charts.data?.inv, start, now, period);
  const err = filled(charts.data?.err, start, now, period);
  const thr = filled(charts.data?.thr, start, now, period);
  const conc = filled(charts.data?.conc, start, now, period);
  const limit = account.data?.settings.AccountLimit.ConcurrentExecutions ?? 0;
  const lines = useMemo(
    () => [
      { label: 'Invocations', values: inv.values, color: '#2f7bd8' },
      { label: 'Errors', values: err.values, color: '#d64545' },
    ],
    [charts.data],
  );
  const concLines = useMemo(() => [{ label: 'Concurrent executions (max)', values: conc.values, color: '#8a5cd6' }], [charts.data]);
  const peak = Math.max(0, ...conc.values);

  return (
    <div class="page" data-testid="dashboard">
      <div class="page-head">
        <h1>Dashboard</h1>
        <div role="group" aria-label="Range" class="segmented">
          {(Object.keys(RANGES) as (keyof typeof RANGES)[]).map((r) => (
            <button key={r} aria-pressed={range === r} onClick={() => setRange(r)}>
              Last {r}
            </button>
          ))}
        </div>
      </div>
      <ErrorBox error={account.error ?? charts.error} />
      <div class="tiles">
        <Tile label="Functions" value={String(account.data?.functions.length ?? '…')} link="/functions" />
        <Tile label={`Invocations (${range})`} value={String(sum(charts.data?.inv))} />
        <Tile label={`Errors (${range})`} value={String(sum(charts.data?.err))} warn={sum(charts.data?.err) > 0} />
        <Tile label={`Throttles (${range})`} value={String(sum(thr))} warn={sum(thr) > 0} />
        <Tile label="Peak concurrency / account limit" value={`${peak} / ${limit || '…'}`} />
        <Tile
          label={`Cost this month${bill.data ? ` (${bill.data.month})` : ''}`}
          value={bill.data ? `$${bill.data.total.cost}` : bill.loading ? '…' : 'n/a'}
        />
      </div>
      {bill.data ? <FreeTier bill={bill.data} /> : null}
      <div class="grid2">
        <Chart title={`Invocations and errors, last ${range}`} timestamps={inv.timestamps} lines={lines} testId="dashboard-invocations" />
        <Chart title="Concurrency in use" timestamps={conc.timestamps} lines={concLines} />
      </div>
      <Section title="Recent failures (24 h)">
        <Loading when={failures.loading} />
        {failures.data && failures.data.length === 0 ? <p class="muted">No function failed in the last 24 hours.</p> : null}
        <ul class="plain">
          {failures.data?.map(([name, a]) => (
            <li key={name}>
              <a href={href(`/functions/${encodeURIComponent(name)}?tab=logs${a.lastErrorAt ? `&start=${a.lastErrorAt * 1000}` : ''}`)}>{name}</a>: {a.errors} error
              {a.errors === 1 ? '' : 's'} of {a.invocations}
              {a.lastErrorAt ? `, last at ${formatTime(a.lastErrorAt * 1000)}` : ''}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}

function FreeTier(props: { bill: NonNullable<Awaited<ReturnType<typeof billing>>> }) {
  const FREE_REQUESTS = 1_000_000;
  const FREE_GB_S = 400_000;
  const reqLeft = Math.max(0, FREE_REQUESTS - props.bill.total.freeTier.requests);
  const gbLeft = Math.max(0, FREE_GB_S - Number(props.bill.total.freeTier.gbSeconds));
  return (
    <p class="muted">
      Free tier left this month: {reqLeft.toLocaleString()} requests, {gbLeft.toLocaleString(undefined, { maximumFractionDigits: 0 })} GB-s (of 1,000,000 and 400,000).
    </p>
  );
}

function Tile(props: { label: string; value: string; warn?: boolean; link?: string }) {
  const body = (
    <>
      <span class="tile-value">{props.value}</span>
      <span class="tile-label">{props.label}</span>
    </>
  );
  return (
    <div class={`tile${props.warn ? ' warn' : ''}`}>
      {props.link ? (
        <a href={href(props.link)} onClick={(e) => { e.preventDefault(); go(props.link!); }}>
          {body}
        </a>
      ) : (
        body
      )}
    </div>
  );
}
