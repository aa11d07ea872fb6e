import { useState } from 'preact/hooks';
import { lambda } from '../api.js';
import { ErrorBox, Section, useAction } from '../ui.js';
import { waitForUpdate } from './code-tab.js';
import type { FunctionDetails } from './function-page.js';

export function ConfigTab(props: { fn: FunctionDetails; reload: () => void }) {
  const c = props.fn.Configuration;
  const [env, setEnv] = useState<[string, string][]>(() => Object.entries(c.Environment?.Variables ?? {}));
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const concurrency = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setSaved(false);
    void action.run(async () => {
      const layers = String(form.get('layers') ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      await lambda('PUT', `/2015-03-31/functions/${encodeURIComponent(c.FunctionName)}/configuration`, {
        MemorySize: Number(form.get('memory')),
        Timeout: Number(form.get('timeout')),
        Description: String(form.get('description') ?? ''),
        Environment: { Variables: Object.fromEntries(env.filter(([k]) => k.trim())) },
        Layers: layers,
      });
      await waitForUpdate(c.FunctionName);
      setSaved(true);
      props.reload();
    });
  };

  const setReserved = (e: Event) => {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget as HTMLFormElement).get('reserved') ?? '').trim();
    void concurrency.run(async () => {
      const path = `/2017-10-31/functions/${encodeURIComponent(c.FunctionName)}/concurrency`;
      if (value === '') await lambda('DELETE', path);
      else await lambda('PUT', path, { ReservedConcurrentExecutions: Number(value) });
      props.reload();
    });
  };

  return (
    <>
      <Section title="General configuration">
        <form class="form" onSubmit={submit}>
          <div class="row">
            <label>
              Memory (MB)
              <input name="memory" type="number" min={128} max={10240} value={c.MemorySize} required />
            </label>
            <label>
              Timeout (s)
              <input name="timeout" type="number" min={1} max={900} value={c.Timeout} required />
            </label>
          </div>
          <label>
            Description
            <input name="description" value={c.Description ?? ''} />
          </label>
          <fieldset>
            <legend>Environment variables</legend>
            {env.map(([k, v], i) => (
              <div class="row" key={i}>
                <label>
                  Key
                  <input value={k} onInput={(e) => setEnv(env.map((p, j) => (j === i ? [(e.target as HTMLInputElement).value, p[1]] : p)))} />
                </label>
                <label>
                  Value
                  <input value={v} onInput={(e) => setEnv(env.map((p, j) => (j === i ? [p[0], (e.target as HTMLInputElement).value] : p)))} />
                </label>
                <button type="button" class="secondary" onClick={() => setEnv(env.filter((_, j) => j !== i))} aria-label={`Remove ${k || 'variable'}`}>
                  Remove
                </button>
              </div>
            ))}
            <button type="button" class="secondary" onClick={() => setEnv([...env, ['', '']])}>
              Add variable
            </button>
          </fieldset>
          <label>
            Layers (one version ARN a line)
            <textarea name="layers" rows={3} value={(c.Layers ?? []).map((l) => l.Arn).join('\n')} />
          </label>
          <ErrorBox error={action.error} />
          {saved ? <p class="ok" role="status">Saved.</p> : null}
          <button type="submit" disabled={action.busy}>
            Save
          </button>
        </form>
      </Section>
      <Section title="Concurrency">
        <form class="form" onSubmit={setReserved}>
          <label>
            Reserved concurrency (empty: use the unreserved pool)
            <input name="reserved" type="number" min={0} value={props.fn.Concurrency?.ReservedConcurrentExecutions ?? ''} />
          </label>
          <ErrorBox error={concurrency.error} />
          <button type="submit" disabled={concurrency.busy}>
            Save concurrency
          </button>
        </form>
      </Section>
      <Section title="Details">
        <dl class="facts-list">
          <dt>ARN</dt>
          <dd>{c.FunctionArn}</dd>
          <dt>Role</dt>
          <dd>{c.Role}</dd>
          <dt>Handler</dt>
          <dd>{c.Handler}</dd>
          <dt>Code size</dt>
          <dd>{c.CodeSize} bytes</dd>
        </dl>
      </Section>
    </>
  );
}
