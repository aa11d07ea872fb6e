import { lambda } from '../api.js';
import type { FunctionConfig } from '../functions.js';
import { ErrorBox, Loading, href, useAsync } from '../ui.js';
import { CodeTab } from './code-tab.js';
import { TestTab } from './test-tab.js';
import { MonitorTab } from './monitor-tab.js';
import { LogsTab } from './logs-tab.js';
import { ConfigTab } from './config-tab.js';
import { VersionsTab } from './versions-tab.js';
import { TriggersTab } from './triggers-tab.js';
import { AsyncTab } from './async-tab.js';

const TABS: [string, string][] = [
  ['code', 'Code'],
  ['test', 'Test'],
  ['monitor', 'Monitor'],
  ['logs', 'Logs'],
  ['config', 'Configuration'],
  ['versions', 'Versions and aliases'],
  ['triggers', 'Triggers'],
  ['async', 'Asynchronous invocation'],
];

export interface FunctionDetails {
  Configuration: FunctionConfig;
  Code: { Location?: string; RepositoryType?: string; ImageUri?: string };
  Concurrency?: { ReservedConcurrentExecutions?: number };
  Tags?: Record<string, string>;
}

export function FunctionPage(props: { name: string; params: URLSearchParams }) {
  const tab = props.params.get('tab') ?? 'code';
  const fn = useAsync(() => lambda<FunctionDetails>('GET', `/2015-03-31/functions/${encodeURIComponent(props.name)}`), [props.name]);
  const c = fn.data?.Configuration;
  return (
    <div class="page" data-testid="function-page">
      <p class="crumbs">
        <a href={href('/functions')}>Functions</a> › {props.name}
      </p>
      <div class="page-head">
        <h1>{props.name}</h1>
        {c ? (
          <p class="muted facts">
            {c.Runtime ?? c.PackageType} · {c.MemorySize} MB · {c.Timeout} s · {c.State ?? 'Active'} · last modified {c.LastModified.slice(0, 19).replace('T', ' ')}
          </p>
        ) : null}
      </div>
      <ErrorBox error={fn.error} />
      <Loading when={fn.loading && !fn.data} />
      <nav aria-label="Function sections" class="tabs">
        <ul role="list">
          {TABS.map(([id, label]) => (
            <li key={id}>
              <a href={href(`/functions/${encodeURIComponent(props.name)}?tab=${id}`)} aria-current={tab === id ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {fn.data ? <Tab tab={tab} fn={fn.data} params={props.params} reload={fn.reload} /> : null}
    </div>
  );
}

function Tab(props: { tab: string; fn: FunctionDetails; params: URLSearchParams; reload: () => void }) {
  const name = props.fn.Configuration.FunctionName;
  switch (props.tab) {
    case 'test':
      return <TestTab name={name} />;
    case 'monitor':
      return <MonitorTab name={name} />;
    case 'logs':
      return <LogsTab name={name} start={Number(props.params.get('start') ?? 0) || undefined} request={props.params.get('request') ?? undefined} />;
    case 'config':
      return <ConfigTab fn={props.fn} reload={props.reload} />;
    case 'versions':
      return <VersionsTab name={name} />;
    case 'triggers':
      return <TriggersTab fn={props.fn.Configuration} />;
    case 'async':
      return <AsyncTab name={name} />;
    default:
      return <CodeTab fn={props.fn} reload={props.reload} />;
  }
}
