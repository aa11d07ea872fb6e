import { zipSync, strToU8 } from 'fflate';
import { useState } from 'preact/hooks';
import { currentSession, lambda, toBase64 } from '../api.js';
import { ErrorBox, go, useAction } from '../ui.js';

const RUNTIMES = ['nodejs22.x', 'nodejs20.x', 'nodejs24.x', 'python3.13', 'python3.12', 'python3.11', 'ruby3.3', 'java21', 'provided.al2023'];

const NODE_STARTER = `export const handler = async (event, context) => {
  console.log('event', JSON.stringify(event));
  return { statusCode: 200, body: JSON.stringify({ hello: 'from Lambkin', requestId: context.awsRequestId }) };
};
`;
const PYTHON_STARTER = `import json

def lambda_handler(event, context):
    print("event", json.dumps(event))
    return {"statusCode": 200, "body": json.dumps({"hello": "from Lambkin", "requestId": context.aws_request_id})}
`;

export function starterFor(runtime: string): { file: string; handler: string; code: string } | null {
  if (runtime.startsWith('nodejs')) return { file: 'index.mjs', handler: 'index.handler', code: NODE_STARTER };
  if (runtime.startsWith('python')) return { file: 'lambda_function.py', handler: 'lambda_function.lambda_handler', code: PYTHON_STARTER };
  return null;
}

export function CreateFunction() {
  const [runtime, setRuntime] = useState('nodejs22.x');
  const [source, setSource] = useState<'starter' | 'zip'>('starter');
  const starter = starterFor(runtime);
  const [handler, setHandler] = useState(starter?.handler ?? 'index.handler');
  const action = useAction();

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const name = String(form.get('name')).trim();
    await action.run(async () => {
      let zip: Uint8Array;
      if (source === 'zip') {
        const file = form.get('zip');
        if (!(file instanceof File) || file.size === 0) throw new Error('Choose a .zip file');
        zip = new Uint8Array(await file.arrayBuffer());
      } else {
        if (!starter) throw new Error(`No inline starter for ${runtime}; upload a .zip`);
        zip = zipSync({ [starter.file]: strToU8(starter.code) });
      }
      await lambda('POST', '/2015-03-31/functions', {
        FunctionName: name,
        Runtime: runtime,
        Handler: String(form.get('handler')),
        MemorySize: Number(form.get('memory')),
        Timeout: Number(form.get('timeout')),
        Role: String(form.get('role')),
        Code: { ZipFile: toBase64(zip) },
      });
      go(`/functions/${encodeURIComponent(name)}?tab=code`);
    });
  };

  return (
    <div class="page">
      <h1>Create function</h1>
      <form class="form" onSubmit={submit}>
        <label>
          Function name
          <input name="name" required pattern="[a-zA-Z0-9_\-]{1,64}" autoFocus />
        </label>
        <label>
          Runtime
          <select
            name="runtime"
            value={runtime}
            onChange={(e) => {
              const r = (e.target as HTMLSelectElement).value;
              setRuntime(r);
              const s = starterFor(r);
              if (s) setHandler(s.handler);
              if (!s) setSource('zip');
            }}
          >
            {RUNTIMES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Handler
          <input name="handler" value={handler} onInput={(e) => setHandler((e.target as HTMLInputElement).value)} required />
        </label>
        <div class="row">
          <label>
            Memory (MB)
            <input name="memory" type="number" min={128} max={10240} value={128} required />
          </label>
          <label>
            Timeout (s)
            <input name="timeout" type="number" min={1} max={900} value={3} required />
          </label>
        </div>
        <label>
          Execution role
          <input name="role" value={`arn:aws:iam::${currentSession()?.accountId ?? "000000000000"}:role/lambda-role`} required />
        </label>
        <fieldset>
          <legend>Code</legend>
          <label class="inline">
            <input type="radio" name="source" checked={source === 'starter'} disabled={!starter} onChange={() => setSource('starter')} /> Inline starter
            {starter ? ` (${starter.file})` : ' (Node.js and Python only)'}
          </label>
          <label class="inline">
            <input type="radio" name="source" checked={source === 'zip'} onChange={() => setSource('zip')} /> Upload a .zip
          </label>
          {source === 'zip' ? (
            <label>
              Zip file
              <input type="file" name="zip" accept=".zip,application/zip" />
            </label>
          ) : null}
        </fieldset>
        <ErrorBox error={action.error} />
        <button type="submit" disabled={action.busy}>
          Create function
        </button>
      </form>
    </div>
  );
}
