import { useState } from 'preact/hooks';
import { s3, send, xmlAll, xmlText } from '../api.js';
import { ErrorBox, Loading, Section, formatBytes, go, href, useAction, useAsync } from '../ui.js';

const enc = (key: string) => key.split('/').map(encodeURIComponent).join('/');

export function Buckets(props: { bucket: string | undefined; params: URLSearchParams }) {
  const list = useAsync(async () => xmlAll(await s3('GET', '/'), 'Bucket').map((b) => ({ name: xmlText(b, 'Name'), created: xmlText(b, 'CreationDate') })), []);
  return (
    <div class="page">
      <h1>Buckets</h1>
      <ErrorBox error={list.error} />
      <Loading when={list.loading} />
      <div class="grid2 wide-right">
        <Section title="S3 buckets">
          {list.data?.length === 0 ? <p class="muted">No buckets.</p> : null}
          <ul class="plain">
            {list.data?.map((b) => (
              <li key={b.name}>
                <a href={href(`/buckets/${encodeURIComponent(b.name)}`)} aria-current={b.name === props.bucket ? 'page' : undefined}>
                  {b.name}
                </a>
              </li>
            ))}
          </ul>
        </Section>
        {props.bucket ? <Browser bucket={props.bucket} prefix={props.params.get('prefix') ?? ''} versions={props.params.get('versions') === '1'} key={props.bucket} /> : <p class="muted">Choose a bucket.</p>}
      </div>
    </div>
  );
}

interface Entry {
  key: string;
  size: number;
  modified: string;
  versionId?: string;
  latest?: boolean;
}

function Browser(props: { bucket: string; prefix: string; versions: boolean }) {
  const [note, setNote] = useState<string>();
  const listing = useAsync(async () => {
    const doc = await s3('GET', `/${props.bucket}`, props.versions ? { versions: '', prefix: props.prefix, delimiter: '/' } : { 'list-type': '2', prefix: props.prefix, delimiter: '/' });
    const folders = xmlAll(doc, 'CommonPrefixes').map((p) => xmlText(p, 'Prefix'));
    const objects: Entry[] = xmlAll(doc, props.versions ? 'Version' : 'Contents').map((c) => ({
      key: xmlText(c, 'Key'),
      size: Number(xmlText(c, 'Size')),
      modified: xmlText(c, 'LastModified'),
      ...(props.versions ? { versionId: xmlText(c, 'VersionId'), latest: xmlText(c, 'IsLatest') === 'true' } : {}),
    }));
    return { folders, objects };
  }, [props.bucket, props.prefix, props.versions]);
  const action = useAction();
  const at = (prefix: string, versions = props.versions) => `/buckets/${encodeURIComponent(props.bucket)}?prefix=${encodeURIComponent(prefix)}${versions ? '&versions=1' : ''}`;
  const parent = props.prefix.replace(/[^/]*\/$/, '');

  const upload = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const file = new FormData(form).get('file');
    if (!(file instanceof File) || !file.name) return;
    void action.run(async () => {
      await s3('PUT', `/${props.bucket}/${enc(props.prefix + file.name)}`, undefined, file, { 'content-type': file.type || 'application/octet-stream' });
      setNote(`Uploaded ${props.prefix + file.name}`);
      form.reset();
      listing.reload();
    });
  };
  const download = (entry: Entry) =>
    action.run(async () => {
      const res = await send({ service: 's3', path: `/${props.bucket}/${enc(entry.key)}`, ...(entry.versionId ? { query: { versionId: entry.versionId } } : {}) });
      if (!res.ok) throw new Error(`Download failed (${res.status})`);
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = entry.key.slice(entry.key.lastIndexOf('/') + 1);
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });

  return (
    <Section
      title={`s3://${props.bucket}/${props.prefix}`}
      actions={
        <label class="inline">
          <input type="checkbox" checked={props.versions} onChange={() => go(at(props.prefix, !props.versions))} /> Show versions
        </label>
      }
    >
      <ErrorBox error={listing.error ?? action.error} />
      {note ? <p class="ok" role="status">{note}</p> : null}
      <form class="form row" onSubmit={upload}>
        <label>
          Upload to this prefix
          <input type="file" name="file" data-testid="upload-file" />
        </label>
        <button type="submit" disabled={action.busy}>
          Upload
        </button>
      </form>
      <table class="data" data-testid="objects">
        <thead>
          <tr>
            <th scope="col">Name</th>
            {props.versions ? <th scope="col">Version</th> : null}
            <th scope="col">Size</th>
            <th scope="col">Last modified</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.prefix ? (
            <tr>
              <td colSpan={5}>
                <a href={href(at(parent))}>../</a>
              </td>
            </tr>
          ) : null}
          {listing.data?.folders.map((f) => (
            <tr key={f}>
              <td colSpan={5}>
                <a href={href(at(f))}>{f.slice(props.prefix.length)}</a>
              </td>
            </tr>
          ))}
          {listing.data?.objects.map((o) => (
            <tr key={o.key + (o.versionId ?? '')}>
              <td>{o.key.slice(props.prefix.length)}</td>
              {props.versions ? <td class="mono">{o.versionId}{o.latest ? ' (latest)' : ''}</td> : null}
              <td class="num">{formatBytes(o.size)}</td>
              <td>{o.modified.slice(0, 19).replace('T', ' ')}</td>
              <td>
                <button class="secondary" onClick={() => void download(o)}>
                  Download
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
