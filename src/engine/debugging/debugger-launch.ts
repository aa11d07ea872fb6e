import type { RuntimeLaunch } from '../runtimes/runtime-launch.js';

/** Where the runtime's debugger listens, as the runtime process sees the network. */
export interface DebuggerListen {
  host: string;
  port: number;
}

/** A launch with the runtime's debugger on, or why this runtime has none. */
export type DebuggerLaunch = { launch: RuntimeLaunch; variables: Record<string, string> } | { reason: string };

/** Read by Lambkin's Python bootstrap: start debugpy on this address and wait for a client. */
export const DEBUGPY_LISTEN_VARIABLE = 'LAMBKIN_DEBUGPY_LISTEN';

/**
 * The runtime started with its debugger listening and waiting for a client before any function
 * code runs (so a breakpoint set on attach is hit even in Init): Node's inspector
 * (`--inspect-wait`, `--inspect-brk` before Node 20.15, which lacks it), debugpy for Python (the
 * bootstrap starts it, or says in the log why it cannot), JDWP for Java. The runtime client stays
 * the last argument, where the sandboxes expect it.
 */
export function withDebugger(launch: RuntimeLaunch, listen: DebuggerListen): DebuggerLaunch {
  const address = `${listen.host}:${listen.port}`;
  switch (launch.family) {
    case 'nodejs': {
      const flag = supportsInspectWait(launch.version) ? '--inspect-wait' : '--inspect-brk';
      return { launch: { ...launch, args: [`${flag}=${address}`, ...launch.args] }, variables: {} };
    }
    case 'python':
      return { launch, variables: { [DEBUGPY_LISTEN_VARIABLE]: address } };
    case 'java':
      return {
        launch: { ...launch, args: [`-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=${address}`, ...launch.args] },
        variables: {},
      };
    default:
      return { reason: `Lambkin has no debugger for ${launch.family === 'provided' ? 'custom runtimes' : `the ${launch.family} runtime`}` };
  }
}

const PROTOCOLS = {
  nodejs: 'Node inspector: Chrome DevTools (chrome://inspect) or VS Code "attach"',
  python: 'debugpy: VS Code "Python Debugger: Remote Attach"',
  java: 'JDWP: jdb, IntelliJ or VS Code "Remote JVM Debug"',
} as const;

/** What a client speaks to debug a runtime id, or null when `withDebugger` has nothing for it. */
export function debuggerProtocol(runtime: string | undefined): string | null {
  const family = /^(nodejs|python|java)/.exec(runtime ?? '')?.[1] as keyof typeof PROTOCOLS | undefined;
  return family ? PROTOCOLS[family] : null;
}

/** `--inspect-wait` came with Node 22.2 and 20.15; an unknown version is the host's own Node. */
function supportsInspectWait(version: string | undefined): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? process.version);
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major >= 23) return true;
  if (major === 22) return minor >= 2;
  if (major === 20) return minor >= 15;
  return false;
}
