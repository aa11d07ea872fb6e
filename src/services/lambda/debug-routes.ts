import { execFile } from 'node:child_process';
import { isLoopback } from '../../contracts/loopback.js';
import type { InternalRoute } from '../../contracts/internal-route.js';
import type { ServiceResponse } from '../../contracts/request-context.js';
import { debuggerProtocol } from '../../engine/debugging/debugger-launch.js';
import type { LambdaDeps } from './deps.js';

const PREFIX = '/_lambkin/debug';
const DEFAULT_ACCOUNT = '000000000000';

/**
 * Lambkin's debugger switch (what `lambkin debug` calls): `PUT /_lambkin/debug/<function>?port=N`
 * starts a session (the next environment runs with the runtime's debugger, reached on
 * 127.0.0.1:N), `DELETE` ends it, `GET /_lambkin/debug` lists them; `account` and `region`
 * query parameters name the function's scope (default 000000000000, us-east-1). Unsigned like
 * the other `/_lambkin/` routes, hence for loopback clients only: a debugger runs any code in
 * the function.
 */
export function debugRoutes(deps: Pick<LambdaDeps, 'functions' | 'engine'>): InternalRoute[] {
  const refused = (sourceIp: string) => (isLoopback(sourceIp) ? null : answer(403, { message: `debugger sessions are switched from loopback clients only (this request came from ${sourceIp})` }));
  return [
    {
      method: 'GET',
      path: PREFIX,
      handle: (_rawPath, _query, caller) => refused(caller.sourceIp) ?? answer(200, { sessions: deps.engine?.debuggerSessions() ?? [] }),
    },
    {
      method: 'PUT',
      path: `${PREFIX}/*`,
      async handle(rawPath, query, caller) {
        const denied = refused(caller.sourceIp);
        if (denied) return denied;
        const fn = target(rawPath, query);
        const port = Number(query.get('port') ?? '9229');
        if (!Number.isInteger(port) || port < 1 || port > 65535) return answer(400, { message: `port must be a TCP port number: ${query.get('port')}` });
        const row = await deps.functions.getVersion({ accountId: fn.accountId, region: fn.region }, fn.functionName, '$LATEST');
        if (!row || !deps.engine) return answer(404, { message: `Function not found: ${fn.functionName} (account ${fn.accountId}, ${fn.region})` });
        const runtime = row.config.Runtime;
        const protocol = debuggerProtocol(runtime);
        if (!protocol) {
          return answer(400, { message: `Lambkin has a debugger for Node.js, Python and Java functions; ${fn.functionName} runs ${runtime ?? row.config.PackageType}` });
        }
        try {
          await deps.engine.setDebugger(fn, port);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          return answer(409, { message: `cannot listen on 127.0.0.1:${port}: ${code === 'EADDRINUSE' ? 'the port is in use' : (err as Error).message}` });
        }
        const note = runtime!.startsWith('python') && !(await hostHasDebugpy())
          ? "the host's python3 cannot import debugpy (Debian package python3-debugpy): unless the function's package or a layer brings it, the environment starts without a debugger and says so in its log"
          : undefined;
        return answer(200, { function: fn.functionName, port, runtime, protocol, ...(note ? { note } : {}) });
      },
    },
    {
      method: 'DELETE',
      path: `${PREFIX}/*`,
      async handle(rawPath, query, caller) {
        const denied = refused(caller.sourceIp);
        if (denied) return denied;
        const fn = target(rawPath, query);
        await deps.engine?.setDebugger(fn, null);
        return answer(200, { function: fn.functionName });
      },
    },
  ];
}

function target(rawPath: string, query: URLSearchParams) {
  return {
    functionName: decodeURIComponent(rawPath.slice(PREFIX.length + 1)),
    accountId: query.get('account') ?? DEFAULT_ACCOUNT,
    region: query.get('region') ?? 'us-east-1',
  };
}

function answer(status: number, body: unknown): ServiceResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function hostHasDebugpy(): Promise<boolean> {
  return new Promise((resolve) => execFile('python3', ['-c', 'import debugpy'], (err) => resolve(!err)));
}
