import { accountOf, describeApiError, type ApiTarget } from './api-client.js';
import { formatTable, paintFor } from './terminal.js';

export interface DebugCommandOptions {
  target: ApiTarget;
  /** Absent: list the sessions. */
  functionName?: string;
  port: number;
  off: boolean;
  json: boolean;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/**
 * `lambkin debug <function> [--port 9229]`: the function's next environment starts with its
 * runtime's debugger waiting on 127.0.0.1:port; `--off` ends that; without a function, the
 * sessions. The server must be on this machine: the port is its loopback.
 */
export async function debugCommand(options: DebugCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const base = `${options.target.endpoint.replace(/\/$/, '')}/_lambkin/debug`;
  try {
    if (!options.functionName) {
      const { sessions } = (await call('GET', base)).body as { sessions: Array<{ functionKey: string; port: number; serving: boolean; attached: boolean }> };
      if (options.json) out.write(`${JSON.stringify(sessions)}\n`);
      else if (sessions.length === 0) err.write('no debugger sessions\n');
      else {
        const rows = sessions.map((s) => [s.functionKey, `127.0.0.1:${s.port}`, s.attached ? 'attached' : s.serving ? 'waiting for a client' : 'until the next invoke']);
        out.write(formatTable(['FUNCTION', 'PORT', 'STATE'], rows, paintFor(out)));
      }
      return 0;
    }
    const scope = `account=${await accountOf(options.target)}&region=${encodeURIComponent(options.target.region)}`;
    const url = `${base}/${encodeURIComponent(options.functionName)}?${scope}`;
    const answer = options.off ? await call('DELETE', url) : await call('PUT', `${url}&port=${options.port}`);
    const body = answer.body as { message?: string; protocol?: string; note?: string };
    if (answer.status !== 200) {
      err.write(`lambkin: ${body.message ?? `HTTP ${answer.status}`}\n`);
      return 2;
    }
    if (options.json) out.write(`${JSON.stringify(body)}\n`);
    else if (options.off) out.write(`${options.functionName}: debugger off (its environment is retired)\n`);
    else {
      out.write(`${options.functionName}: debugger on 127.0.0.1:${options.port} — ${body.protocol ?? ''}\n`);
      out.write('The next invoke starts an environment whose runtime waits for the debugger before running; its timeout is lifted while one is attached.\n');
      if (body.note) err.write(`note: ${body.note}\n`);
    }
    return 0;
  } catch (e) {
    err.write(`lambkin: ${describeApiError(e, options.target)}\n`);
    return 2;
  }
}

async function call(method: string, url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method });
  return { status: res.status, body: await res.json() };
}
