import { useMemo, useState } from 'preact/hooks';
import { errorText } from '../api.js';
import { invoke, type InvokeResult } from '../invoke.js';
import { deleteEvent, saveEvent, savedEvents } from '../saved-events.js';
import { TEMPLATES, TEMPLATE_LABELS } from '../templates.js';
import { ErrorBox, Section, href } from '../ui.js';

export function TestTab(props: { name: string }) {
  const [saved, setSaved] = useState(() => savedEvents(props.name));
  const [eventName, setEventName] = useState(Object.keys(saved)[0] ?? 'my-test');
  const [json, setJson] = useState(() => Object.values(saved)[0] ?? JSON.stringify(TEMPLATES['hello-world']!(), null, 2));
  const [result, setResult] = useState<InvokeResult>();
  const [lastPayload, setLastPayload] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const invalid = useMemo(() => {
    try {
      JSON.parse(json);
      return undefined;
    } catch (err) {
      return `Event JSON is not valid: ${(err as Error).message}`;
    }
  }, [json]);

  const run = async (payload: string) => {
    setBusy(true);
    setError(undefined);
    setLastPayload(payload);
    try {
      setResult(await invoke(props.name, payload));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="grid2 wide-left">
      <Section title="Test event">
        <div class="row">
          <label>
            Saved events
            <select
              value={saved[eventName] !== undefined ? eventName : ''}
              onChange={(e) => {
                const n = (e.target as HTMLSelectElement).value;
                if (!n) return;
                setEventName(n);
                setJson(saved[n]!);
              }}
            >
              <option value="">—</option>
              {Object.keys(saved).map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <label>
            Template
            <select
              data-testid="template"
              onChange={(e) => {
                const t = (e.target as HTMLSelectElement).value;
                if (t) setJson(JSON.stringify(TEMPLATES[t]!(), null, 2));
              }}
            >
              <option value="">Choose a template…</option>
              {Object.keys(TEMPLATES).map((t) => (
                <option key={t} value={t}>
                  {TEMPLATE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label>
          Event name
          <input value={eventName} onInput={(e) => setEventName((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Event JSON
          <textarea class="json" rows={14} spellcheck={false} value={json} aria-invalid={invalid ? 'true' : 'false'} onInput={(e) => setJson((e.target as HTMLTextAreaElement).value)} data-testid="event-json" />
        </label>
        {invalid ? <p class="error" role="alert">{invalid}</p> : null}
        <div class="actions">
          <button onClick={() => void run(json)} disabled={busy || invalid !== undefined} data-testid="invoke">
            {busy ? 'Invoking…' : 'Invoke'}
          </button>
          <button
            class="secondary"
            disabled={invalid !== undefined || !eventName.trim()}
            onClick={() => {
              saveEvent(props.name, eventName.trim(), json);
              setSaved(savedEvents(props.name));
            }}
          >
            Save
          </button>
          {saved[eventName] !== undefined ? (
            <button
              class="secondary"
              onClick={() => {
                deleteEvent(props.name, eventName);
                setSaved(savedEvents(props.name));
              }}
            >
              Delete
            </button>
          ) : null}
        </div>
        <p class="muted">Saved events are kept in this browser (localStorage), per account and function.</p>
      </Section>
      <Section
        title="Result"
        actions={
          lastPayload !== undefined ? (
            <button onClick={() => void run(lastPayload)} disabled={busy} data-testid="retry">
              Retry
            </button>
          ) : null
        }
      >
        <ErrorBox error={error} />
        {result ? <Result name={props.name} result={result} /> : <p class="muted">Invoke to see the result here.</p>}
      </Section>
    </div>
  );
}

function Result(props: { name: string; result: InvokeResult }) {
  const r = props.result;
  let parsed: { errorType?: string; errorMessage?: string; stackTrace?: string[] | string; trace?: string[] } | undefined;
  try {
    parsed = JSON.parse(r.payload) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const failed = r.functionError !== undefined || r.status >= 400;
  const stack = parsed?.stackTrace ?? parsed?.trace;
  return (
    <div data-testid="result" class={failed ? 'result failed' : 'result ok'}>
      <p role="status" data-testid="result-status">
        <strong>{failed ? `Failed${r.functionError ? ` (${r.functionError})` : ''}` : 'Succeeded'}</strong> · status {r.status} · request id{' '}
        <a href={href(`/functions/${encodeURIComponent(props.name)}?tab=logs&request=${r.requestId}`)} data-testid="request-id">
          {r.requestId}
        </a>
        {r.executedVersion ? ` · version ${r.executedVersion}` : ''}
      </p>
      {failed && parsed?.errorType !== undefined ? (
        <div class="error-detail">
          <p>
            <strong data-testid="error-type">{parsed.errorType}</strong>: <span data-testid="error-message">{parsed.errorMessage}</span>
          </p>
          {stack ? <pre class="stack">{Array.isArray(stack) ? stack.join('\n') : stack}</pre> : null}
        </div>
      ) : null}
      <h3>Response</h3>
      <pre data-testid="response">{pretty(r.payload)}</pre>
      {r.report ? (
        <dl class="report" data-testid="report">
          {['Duration', 'Billed Duration', 'Memory Size', 'Max Memory Used', 'Init Duration'].map((k) =>
            r.report![k] ? (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{r.report![k]}</dd>
              </div>
            ) : null,
          )}
        </dl>
      ) : null}
      <h3>Log output</h3>
      <pre class="log" data-testid="log-output">{r.log || '(no log output)'}</pre>
    </div>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
