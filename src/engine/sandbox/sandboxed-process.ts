import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { EnvironmentCgroup } from './cgroups.js';
import type { SandboxedProcess } from './sandbox.js';

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]),
);

/**
 * A runtime process with its cgroup and cleanup. `wrapped` means the child is a wrapper
 * (bubblewrap) reporting a killed runtime as exit status 128+N, as shells do.
 */
export function sandboxedProcess(
  child: ChildProcess,
  cgroup: EnvironmentCgroup | null,
  options: { wrapped: boolean; cleanup?: () => Promise<void>; extensions?: string[] },
): SandboxedProcess {
  let disposed = false;
  // Held until the environment listens: a failed spawn reports on the next tick.
  let spawnError: Error | undefined;
  let errorListener: ((err: Error) => void) | undefined;
  child.on('error', (err) => (errorListener ? errorListener(err) : (spawnError = err)));
  return {
    child,
    extensions: options.extensions ?? [],
    onError(listener) {
      errorListener = listener;
      if (spawnError) listener(spawnError);
    },
    onExit(listener) {
      child.on('exit', (code, signal) => {
        void (async () => {
          let reported = { code, signal };
          if (options.wrapped && code !== null && code > 128 && SIGNAL_NAMES.has(code - 128)) {
            reported = { code: null, signal: SIGNAL_NAMES.get(code - 128)! };
          }
          // The OOM killer's SIGKILL, whichever process of the environment it chose.
          if (reported.signal === null && cgroup && (await cgroup.oomKilled())) reported = { code: null, signal: 'SIGKILL' };
          listener(reported.code, reported.signal);
        })();
      });
    },
    initDone() {
      void cgroup?.throttleCpu();
    },
    async peakMemoryMb() {
      const bytes = await cgroup?.peakMemoryBytes();
      return bytes === undefined ? undefined : Math.ceil(bytes / (1024 * 1024));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (child.pid && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
      void (async () => {
        await cgroup?.destroy();
        await options.cleanup?.();
      })().catch(() => undefined);
    },
  };
}
