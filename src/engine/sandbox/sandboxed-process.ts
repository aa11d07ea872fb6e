import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { constants } from 'node:os';
import type { EnvironmentCgroup } from './cgroups.js';
import type { SandboxedProcess } from './sandbox.js';
import { EXTENSION_EXITS_FD } from '../extensions/launcher.js';

/**
 * A wrapper (bubblewrap) reports a runtime killed by signal N as exit status 128+N, which a runtime
 * may also exit with on purpose (AWS's Node client exits 129 after an uncaught exception). Read
 * back only the signals that end runtimes: hangup and interrupt need a terminal, which a sandbox
 * in its own session never has, so 129 and 130 stay exit statuses.
 */
const SIGNALS_THAT_END_RUNTIMES = new Map<number, NodeJS.Signals>(
  (['SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGSEGV', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGXCPU', 'SIGXFSZ', 'SIGSYS'] as const).map(
    (name) => [constants.signals[name], name],
  ),
);

/**
 * A runtime process with its cgroup and cleanup. `wrapped` means the child is a wrapper
 * (bubblewrap) reporting a killed runtime as exit status 128+N, as shells do.
 */
export function sandboxedProcess(
  child: ChildProcess,
  cgroup: EnvironmentCgroup | null,
  options: { wrapped: boolean; cleanup?: () => Promise<void>; extensions?: string[]; connectInside?: SandboxedProcess['connectInside']; runtimeApiListener?: SandboxedProcess['runtimeApiListener'] },
): SandboxedProcess {
  let disposed = false;
  // Held until the environment listens: a failed spawn reports on the next tick.
  let spawnError: Error | undefined;
  let errorListener: ((err: Error) => void) | undefined;
  child.on('error', (err) => (errorListener ? errorListener(err) : (spawnError = err)));
  return {
    child,
    connectInside: options.connectInside,
    runtimeApiListener: options.runtimeApiListener,
    extensions: options.extensions ?? [],
    onError(listener) {
      errorListener = listener;
      if (spawnError) listener(spawnError);
    },
    onExtensionExit(listener) {
      const names = options.extensions ?? [];
      const pipe = child.stdio[EXTENSION_EXITS_FD] as Readable | null | undefined;
      if (!pipe || names.length === 0) return;
      let pending = '';
      pipe.setEncoding('latin1');
      pipe.on('data', (text: string) => {
        const lines = (pending + text).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const [index, status] = line.split(' ').map(Number);
          const name = names[index ?? -1];
          if (name === undefined || !Number.isInteger(status)) continue;
          // The shell that waited reports a signal N as 128+N.
          const signal = status! > 128 ? SIGNALS_THAT_END_RUNTIMES.get(status! - 128) : undefined;
          listener(name, signal ? null : status!, signal ?? null);
        }
      });
      pipe.on('error', () => undefined);
    },
    onExit(listener) {
      child.on('exit', (code, signal) => {
        void (async () => {
          let reported = { code, signal };
          if (options.wrapped && code !== null && code > 128 && SIGNALS_THAT_END_RUNTIMES.has(code - 128)) {
            reported = { code: null, signal: SIGNALS_THAT_END_RUNTIMES.get(code - 128)! };
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
    ...(cgroup ? { resizeMemory: (memoryMb: number) => cgroup.resize(memoryMb) } : {}),
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
