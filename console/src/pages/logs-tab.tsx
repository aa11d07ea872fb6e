import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorText, rpc } from '../api.js';
import { ErrorBox, formatTime, href } from '../ui.js';

interface LogEvent {
  eventId: string;
  timestamp: number;
  message: string;
  logStreamName: string;
}

const MAX_LINES = 2000;
const POLL_MS = 1000;

/**
 * The function's log group: a live tail (FilterLogEvents polled every second) or, with `start`, the
 * events of one window (a chart's minute). `request` narrows either to one request id.
 */
export function LogsTab(props: { name: string; start?: number | undefined; request?: string | undefined }) {
  const group = `/aws/lambda/${props.name}`;
  const window = props.start !== undefined ? { start: props.start, end: props.start + Number(new URLSearchParams(location.hash.split('?')[1]).get('minutes') ?? 1) * 60_000 } : undefined;
  const [events, setEvents] = useState<LogEvent[]>([]);
  const [filter, setFilter] = useState(props.request ?? '');
  const [paused, setPaused] = useState(false);
  const [error, setError] = useState<string>();
  const seen = useRef(new Set<string>());
  const since = useRef(Date.now() - 15 * 60_000);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setFilter(props.request ?? '');
  }, [props.request]);

  useEffect(() => {
    seen.current = new Set();
    setEvents([]);
    since.current = window ? window.start : Date.now() - 15 * 60_000;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const fresh: LogEvent[] = [];
        let token: string | undefined;
        do {
          const page = await rpc<{ events?: LogEvent[]; nextToken?: string }>('logs', 'FilterLogEvents', {
            logGroupName: group,
            startTime: since.current,
            ...(window ? { endTime: window.end } : {}),
            ...(token ? { nextToken: token } : {}),
          });
          for (const e of page.events ?? []) {
            if (seen.current.has(e.eventId)) continue;
            seen.current.add(e.eventId);
            fresh.push(e);
          }
          token = page.nextToken;
        } while (token && !stopped);
        if (stopped) return;
        setError(undefined);
        if (fresh.length > 0) {
          // Events a second older than the newest may still arrive (a slow flush): look back a little.
          since.current = Math.max(since.current, Math.max(...fresh.map((e) => e.timestamp)) - 2000);
          setEvents((old) => [...old, ...fresh].sort((a, b) => a.timestamp - b.timestamp).slice(-MAX_LINES));
        }
      } catch (err) {
        if (err instanceof ApiError && err.code === 'ResourceNotFoundException') setError('No logs yet: the log group appears with the first invocation.');
        else setError(errorText(err));
      }
      if (!stopped && !window) timer = setTimeout(() => void poll(), POLL_MS);
    };
    if (!paused || window) void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [props.name, paused, props.start]);

  useEffect(() => {
    const el = box.current;
    if (el && !paused) el.scrollTop = el.scrollHeight;
  }, [events]);

  const needle = filter.trim();
  const shown = needle ? events.filter((e) => e.message.includes(needle)) : events;
  return (
    <section class="panel">
      <header class="panel-head">
        <h2>{window ? `Logs from ${formatTime(window.start)} to ${formatTime(window.end)}` : 'Live tail'}</h2>
        <div class="actions">
          {window ? (
            <a class="button secondary" href={href(`/functions/${encodeURIComponent(props.name)}?tab=logs`)}>
              Live tail
            </a>
          ) : (
            <button class="secondary" aria-pressed={paused} onClick={() => setPaused(!paused)} data-testid="pause">
              {paused ? 'Resume' : 'Pause'}
            </button>
          )}
          <button class="secondary" onClick={() => setEvents([])}>
            Clear
          </button>
        </div>
      </header>
      <label class="search">
        Filter
        <input type="search" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} placeholder="Text or request id" data-testid="log-filter" />
      </label>
      <ErrorBox error={error} />
      <p class="muted" aria-live="polite">
        {shown.length} lines{paused ? ' (paused)' : ''} · log group {group}
      </p>
      <div class="log-view" ref={box} tabIndex={0} aria-label="Log lines" data-testid="log-lines">
        {shown.map((e) => (
          <div class="log-line" key={e.eventId}>
            <time>{new Date(e.timestamp).toISOString().slice(11, 23)}</time> <RequestLinks name={props.name} text={e.message} onPick={setFilter} />
          </div>
        ))}
      </div>
    </section>
  );
}

const REQUEST_ID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;

/** A log line whose request id is a button: jump to that request's lines. */
function RequestLinks(props: { name: string; text: string; onPick: (id: string) => void }) {
  const m = REQUEST_ID.exec(props.text);
  if (!m) return <span>{props.text}</span>;
  return (
    <span>
      {props.text.slice(0, m.index)}
      <button class="link" title="Show only this request" onClick={() => props.onPick(m[0])}>
        {m[0]}
      </button>
      {props.text.slice(m.index + m[0].length)}
    </span>
  );
}
