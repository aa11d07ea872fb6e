import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { activityOf, listAllFunctions, type FunctionActivity, type FunctionConfig } from '../functions.js';
import { ErrorBox, Loading, href, useAsync } from '../ui.js';

type SortKey = 'FunctionName' | 'Runtime' | 'MemorySize' | 'LastModified' | 'invocations' | 'errors';

/**
 * `?synthetic=N` renders N made-up functions without asking the server: how the list's render time
 * for 1,000 functions is measured (the time lands in data-render-ms).
 */
export function FunctionList(props: { params: URLSearchParams }) {
  const synthetic = Number(props.params.get('synthetic') ?? 0);
  const list = useAsync(() => (synthetic > 0 ? Promise.resolve(syntheticFunctions(synthetic)) : listAllFunctions()), [synthetic]);
  const activity = useAsync(
    async () => (list.data && synthetic === 0 ? activityOf(list.data.map((f) => f.FunctionName), 24) : new Map<string, FunctionActivity>()),
    [list.data],
  );
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; down: boolean }>({ key: 'FunctionName', down: false });
  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const picked = (list.data ?? []).filter((f) => !q || f.FunctionName.toLowerCase().includes(q) || (f.Runtime ?? '').includes(q));
    const value = (f: FunctionConfig): string | number => {
      if (sort.key === 'invocations' || sort.key === 'errors') return activity.data?.get(f.FunctionName)?.[sort.key] ?? 0;
      return f[sort.key] ?? '';
    };
    picked.sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.down ? -c : c;
    });
    return picked;
  }, [list.data, activity.data, query, sort]);

  // The time of the render that first puts the rows on the page (later ones only patch them).
  const table = useRef<HTMLTableElement>(null);
  const renderStarted = useRef(0);
  if (list.data && !table.current?.dataset.renderMs) renderStarted.current = performance.now();
  useLayoutEffect(() => {
    if (table.current && list.data && !table.current.dataset.renderMs) table.current.dataset.renderMs = (performance.now() - renderStarted.current).toFixed(1);
  });

  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.down ? 'descending' : 'ascending') : 'none'}>
      <button class="sort" onClick={() => setSort({ key, down: sort.key === key ? !sort.down : false })}>
        {label}
        {sort.key === key ? (sort.down ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  useEffect(() => {
    document.title = 'Functions · Lambkin';
  }, []);

  return (
    <div class="page">
      <div class="page-head">
        <h1>Functions</h1>
        <a class="button" href={href('/create')}>
          Create function
        </a>
      </div>
      <label class="search">
        Search
        <input type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} placeholder="Name or runtime" />
      </label>
      <ErrorBox error={list.error ?? activity.error} />
      <Loading when={list.loading} />
      <p class="muted" aria-live="polite">
        {rows.length} of {list.data?.length ?? 0} functions
      </p>
      <table class="data" ref={table} data-testid="function-table">
        <thead>
          <tr>
            {header('FunctionName', 'Name')}
            {header('Runtime', 'Runtime')}
            {header('MemorySize', 'Memory (MB)')}
            {header('LastModified', 'Last modified')}
            {header('invocations', 'Invocations (24 h)')}
            {header('errors', 'Errors (24 h)')}
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => {
            const a = activity.data?.get(f.FunctionName);
            return (
              <tr key={f.FunctionName}>
                <td>
                  <a href={href(`/functions/${encodeURIComponent(f.FunctionName)}`)}>{f.FunctionName}</a>
                </td>
                <td>{f.Runtime ?? (f.PackageType === 'Image' ? 'image' : '')}</td>
                <td class="num">{f.MemorySize}</td>
                <td>{f.LastModified.slice(0, 19).replace('T', ' ')}</td>
                <td class="num">{a ? a.invocations : '–'}</td>
                <td class={`num${a && a.errors > 0 ? ' bad' : ''}`}>{a ? a.errors : '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function syntheticFunctions(n: number): FunctionConfig[] {
  const runtimes = ['nodejs22.x', 'python3.13', 'java21', 'provided.al2023'];
  return Array.from({ length: n }, (_, i) => ({
    FunctionName: `synthetic-${String(i).padStart(4, '0')}`,
    FunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:synthetic-${i}`,
    Runtime: runtimes[i % runtimes.length]!,
    Handler: 'index.handler',
    MemorySize: 128 * (1 + (i % 8)),
    Timeout: 3,
    LastModified: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    Role: 'arn:aws:iam::000000000000:role/r',
    CodeSize: 1000,
  }));
}
