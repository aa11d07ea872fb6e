import { lambda } from '../api.js';
import { ErrorBox, Loading, Section, useAction, useAsync } from '../ui.js';

interface Version {
  Version: string;
  Description?: string;
  LastModified: string;
  CodeSha256: string;
}
interface Alias {
  Name: string;
  FunctionVersion: string;
  RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
}

export function VersionsTab(props: { name: string }) {
  const fn = encodeURIComponent(props.name);
  const data = useAsync(async () => {
    const [v, a] = await Promise.all([
      lambda<{ Versions: Version[] }>('GET', `/2015-03-31/functions/${fn}/versions`),
      lambda<{ Aliases: Alias[] }>('GET', `/2015-03-31/functions/${fn}/aliases`),
    ]);
    return { versions: v.Versions, aliases: a.Aliases };
  }, [props.name]);
  const action = useAction();
  const published = data.data?.versions.filter((v) => v.Version !== '$LATEST') ?? [];

  const publish = () => action.run(async () => {
    await lambda('POST', `/2015-03-31/functions/${fn}/versions`, {});
    data.reload();
  });
  const createAlias = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    void action.run(async () => {
      await lambda('POST', `/2015-03-31/functions/${fn}/aliases`, { Name: String(f.get('alias')), FunctionVersion: String(f.get('version')) });
      data.reload();
    });
  };
  const shift = (alias: Alias, e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const extra = String(f.get('extra') ?? '');
    const weight = Number(f.get('weight') ?? 0) / 100;
    void action.run(async () => {
      await lambda('PUT', `/2015-03-31/functions/${fn}/aliases/${encodeURIComponent(alias.Name)}`, {
        FunctionVersion: String(f.get('primary')),
        RoutingConfig: { AdditionalVersionWeights: extra && weight > 0 ? { [extra]: weight } : {} },
      });
      data.reload();
    });
  };

  return (
    <>
      <ErrorBox error={data.error ?? action.error} />
      <Loading when={data.loading} />
      <Section title="Versions" actions={<button onClick={() => void publish()} disabled={action.busy}>Publish new version</button>}>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Last modified</th>
              <th scope="col">Code SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {data.data?.versions.map((v) => (
              <tr key={v.Version}>
                <td>{v.Version}</td>
                <td>{v.LastModified.slice(0, 19).replace('T', ' ')}</td>
                <td class="mono">{v.CodeSha256.slice(0, 16)}…</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Aliases">
        {data.data?.aliases.map((a) => {
          const [extra, w] = Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {})[0] ?? ['', 0];
          return (
            <form key={a.Name} class="form row" onSubmit={(e) => shift(a, e)}>
              <strong>{a.Name}</strong>
              <label>
                Version
                <select name="primary" value={a.FunctionVersion}>
                  {published.map((v) => <option key={v.Version}>{v.Version}</option>)}
                </select>
              </label>
              <label>
                Additional version
                <select name="extra" value={extra}>
                  <option value="">none</option>
                  {published.map((v) => <option key={v.Version}>{v.Version}</option>)}
                </select>
              </label>
              <label>
                Weight (%)
                <input name="weight" type="number" min={0} max={100} step={1} value={Math.round(Number(w) * 100)} />
              </label>
              <button type="submit" disabled={action.busy}>Shift</button>
            </form>
          );
        })}
        {published.length > 0 ? (
          <form class="form row" onSubmit={createAlias}>
            <label>
              New alias
              <input name="alias" required pattern="(?!^[0-9]+$)([a-zA-Z0-9\-_]+)" />
            </label>
            <label>
              Version
              <select name="version">{published.map((v) => <option key={v.Version}>{v.Version}</option>)}</select>
            </label>
            <button type="submit" disabled={action.busy}>Create alias</button>
          </form>
        ) : (
          <p class="muted">Publish a version to create an alias.</p>
        )}
      </Section>
    </>
  );
}
