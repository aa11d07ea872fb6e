import { ApiError, lambda } from '../api.js';
import { ErrorBox, Loading, Section, useAction, useAsync } from '../ui.js';

interface AsyncConfig {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
}

export function AsyncTab(props: { name: string }) {
  const path = `/2019-09-25/functions/${encodeURIComponent(props.name)}/event-invoke-config`;
  const config = useAsync(
    () =>
      lambda<AsyncConfig>('GET', path).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) return {} as AsyncConfig;
        throw err;
      }),
    [props.name],
  );
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const dest = (k: string) => (String(f.get(k) ?? '').trim() ? { Destination: String(f.get(k)).trim() } : {});
    void action.run(async () => {
      await lambda('PUT', path, {
        MaximumRetryAttempts: Number(f.get('retries')),
        MaximumEventAgeInSeconds: Number(f.get('age')),
        DestinationConfig: { OnSuccess: dest('success'), OnFailure: dest('failure') },
      });
      config.reload();
    });
  };
  const c = config.data;
  return (
    <Section title="Asynchronous invocation">
      <ErrorBox error={config.error ?? action.error} />
      <Loading when={config.loading} />
      {c ? (
        <form class="form" onSubmit={submit}>
          <div class="row">
            <label>
              Retry attempts
              <input name="retries" type="number" min={0} max={2} value={c.MaximumRetryAttempts ?? 2} />
            </label>
            <label>
              Maximum event age (s)
              <input name="age" type="number" min={60} max={21600} value={c.MaximumEventAgeInSeconds ?? 21600} />
            </label>
          </div>
          <label>
            On-success destination ARN
            <input name="success" value={c.DestinationConfig?.OnSuccess?.Destination ?? ''} />
          </label>
          <label>
            On-failure destination ARN
            <input name="failure" value={c.DestinationConfig?.OnFailure?.Destination ?? ''} />
          </label>
          <button type="submit" disabled={action.busy}>
            Save
          </button>
        </form>
      ) : null}
    </Section>
  );
}
