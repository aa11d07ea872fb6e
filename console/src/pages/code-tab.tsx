import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { useEffect, useState } from 'preact/hooks';
import { lambda, toBase64 } from '../api.js';
import { ErrorBox, Loading, Section, formatBytes, useAction, useAsync } from '../ui.js';
import type { FunctionDetails } from './function-page.js';

const EDITABLE_BYTES_MAX = 512 * 1024;

/** Waits until an update has been applied, so the next invoke runs it. */
export async function waitForUpdate(name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const c = await lambda<{ LastUpdateStatus?: string; State?: string; LastUpdateStatusReason?: string }>('GET', `/2015-03-31/functions/${encodeURIComponent(name)}/configuration`);
    if (c.LastUpdateStatus === 'Failed') throw new Error(c.LastUpdateStatusReason ?? 'The update failed');
    if (c.LastUpdateStatus !== 'InProgress' && c.State !== 'Pending') return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function CodeTab(props: { fn: FunctionDetails; reload: () => void }) {
  const location = props.fn.Code.Location;
  const name = props.fn.Configuration.FunctionName;
  const files = useAsync(async () => {
    if (!location) return null;
    const res = await fetch(location);
    if (!res.ok) throw new Error(`Could not download the code (${res.status})`);
    return unzipSync(new Uint8Array(await res.arrayBuffer()));
  }, [location]);
  const names = files.data ? Object.keys(files.data).filter((n) => !n.endsWith('/')).sort() : [];
  const handlerFile = guessHandlerFile(props.fn.Configuration.Handler, names);
  const [open, setOpen] = useState<string | undefined>();
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [deployed, setDeployed] = useState<string>();
  const action = useAction();
  useEffect(() => {
    if (open === undefined && handlerFile) setOpen(handlerFile);
  }, [handlerFile]);

  if (props.fn.Code.RepositoryType === 'ECR' || props.fn.Configuration.PackageType === 'Image') {
    return <Section title="Code">This function runs a container image ({props.fn.Code.ImageUri}); its code is not editable here.</Section>;
  }
  const current = open !== undefined && files.data?.[open] ? files.data[open]! : undefined;
  const text = open !== undefined ? (edits[open] ?? (current && current.length <= EDITABLE_BYTES_MAX && isText(current) ? strFromU8(current) : undefined)) : undefined;
  const dirty = Object.keys(edits).length > 0;

  const deploy = () =>
    action.run(async () => {
      const all: Record<string, Uint8Array> = {};
      for (const [n, bytes] of Object.entries(files.data ?? {})) if (!n.endsWith('/')) all[n] = n in edits ? strToU8(edits[n]!) : bytes;
      await lambda('PUT', `/2015-03-31/functions/${encodeURIComponent(name)}/code`, { ZipFile: toBase64(zipSync(all)) });
      await waitForUpdate(name);
      setEdits({});
      setDeployed(`Deployed at ${new Date().toLocaleTimeString(undefined, { hour12: false })}`);
      props.reload();
    });

  return (
    <Section
      title="Code source"
      actions={
        <button onClick={() => void deploy()} disabled={!dirty || action.busy} data-testid="deploy">
          {action.busy ? 'Deploying…' : 'Deploy'}
        </button>
      }
    >
      <ErrorBox error={files.error ?? action.error} />
      <Loading when={files.loading} />
      {!location ? <p class="muted">This function's code comes from a host folder; edit it there.</p> : null}
      {deployed && !dirty ? <p class="ok" role="status">{deployed}</p> : null}
      <div class="code">
        <ul class="files" aria-label="Files">
          {names.map((n) => (
            <li key={n}>
              <button class={`file${n === open ? ' open' : ''}`} aria-current={n === open ? 'true' : undefined} onClick={() => setOpen(n)}>
                {n}
                {n in edits ? ' •' : ''}
                <span class="muted"> {formatBytes(files.data![n]!.length)}</span>
              </button>
            </li>
          ))}
        </ul>
        <div class="editor">
          {open !== undefined && text !== undefined ? (
            <textarea
              aria-label={`Contents of ${open}`}
              spellcheck={false}
              value={text}
              data-testid="code-editor"
              onInput={(e) => setEdits({ ...edits, [open]: (e.target as HTMLTextAreaElement).value })}
              onKeyDown={(e) => {
                // Tab indents, as in a code editor; Escape then Tab leaves the field.
                if (e.key === 'Tab' && !e.shiftKey && !(e.currentTarget as HTMLTextAreaElement).dataset.escaped) {
                  e.preventDefault();
                  const t = e.currentTarget as HTMLTextAreaElement;
                  const at = t.selectionStart;
                  t.setRangeText('  ', at, t.selectionEnd, 'end');
                  setEdits({ ...edits, [open]: t.value });
                } else if (e.key === 'Escape') (e.currentTarget as HTMLTextAreaElement).dataset.escaped = '1';
                else delete (e.currentTarget as HTMLTextAreaElement).dataset.escaped;
              }}
            />
          ) : open !== undefined ? (
            <p class="muted">{open} is binary or larger than 512 KB.</p>
          ) : null}
        </div>
      </div>
      <p class="muted">Tab indents inside the editor; press Escape, then Tab, to move on. Handler: {props.fn.Configuration.Handler}</p>
    </Section>
  );
}

function guessHandlerFile(handler: string | undefined, names: string[]): string | undefined {
  const base = handler?.slice(0, handler.lastIndexOf('.')) ?? '';
  return names.find((n) => n.replace(/\.[^.]+$/, '') === base) ?? names[0];
}

function isText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return false;
  return true;
}
