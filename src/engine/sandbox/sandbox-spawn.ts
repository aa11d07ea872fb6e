import { spawn } from 'node:child_process';
import type { Server } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { EnvironmentCgroup } from './cgroups.js';
import type { PastaNetwork } from './function-network.js';
import { RUNTIME_API_PORT } from './limits.js';
import { namespaceConnector } from './namespace-connector.js';
import type { SandboxedProcess } from './sandbox.js';
import { sandboxedProcess } from './sandboxed-process.js';

/**
 * The first process of every sandbox, started as `setpriv --pdeathsig KILL -- sh -c START <server
 * pid> <cgroup.procs files> -- <command>`: setpriv makes the kernel kill it when the server dies, and
 * the shell then checks that the server is still its parent — had the server died between the fork
 * and setpriv's request, no signal would ever come (the process would already belong to init), and
 * an environment, or a spare, would outlive the server. Then it puts itself in each cgroup and execs
 * the sandbox command, so the whole tree is inside from the start and keeps the death signal
 * (kept across exec; bubblewrap's `--die-with-parent` passes it on to the sandbox).
 */
const START = '[ "$PPID" = "$1" ] || exit 125; shift; while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

/** bubblewrap's descriptors for the sandbox's pid and its go-ahead, after stdio and extension exits (3). */
const INFO_FD = 4;
const BLOCK_FD = 5;

/** An environment's own network: pasta, the relay tool for telemetry, and where its Runtime API listens on the host. */
export interface SandboxNetwork {
  pasta: PastaNetwork;
  nsenter: string | null;
  hostRuntimeApiPort: number;
  /** A debugger session's port: the host's loopback on it reaches the same port inside. */
  debuggerPort?: number;
}

/**
 * bubblewrap's arguments for a sandbox whose network `spawnSandbox` attaches (none without one):
 * to follow the sandbox's own mounts, as they bind its /etc/resolv.conf (when `resolvConfIsFile`).
 */
export function networkBwrapArgs(network: SandboxNetwork | null, resolvConfIsFile: boolean): string[] {
  return network ? [...network.pasta.bwrapArgs(INFO_FD, BLOCK_FD), ...network.pasta.resolvConfMount(resolvConfIsFile)] : [];
}

/**
 * Starts one sandbox command (bubblewrap, possibly behind setpriv) for zip and image environments
 * alike: in its cgroup from the first instruction, in a fresh network namespace when there is a
 * network (made by `unshare --net` around the command, connected by pasta before bubblewrap lets
 * the runtime start), with extension exits on descriptor 3 when asked.
 */
export async function spawnSandbox(options: {
  id: string;
  /** setpriv (util-linux), which starts the sandbox with its death signal set. */
  setpriv: string;
  command: string[];
  env: Record<string, string | undefined>;
  cgroup: EnvironmentCgroup | null;
  network: SandboxNetwork | null;
  extensions?: string[];
  reportsExtensionExits?: boolean;
}): Promise<SandboxedProcess> {
  const { cgroup, network, extensions } = options;
  const command = network ? network.pasta.wrap(options.command) : options.command;
  const file = options.setpriv;
  const argv = ['--pdeathsig', 'KILL', '--', '/bin/sh', '-c', START, 'lambkin-sandbox', String(process.pid), ...(cgroup?.procsFiles ?? []), '--', ...command];
  const stdio: ('ignore' | 'pipe')[] = ['ignore', 'pipe', 'pipe', options.reportsExtensionExits ? 'pipe' : 'ignore'];
  if (network) stdio.push('pipe', 'pipe');
  const child = spawn(file, argv, { env: options.env, stdio, detached: true });
  if (!network) return sandboxedProcess(child, cgroup, { wrapped: true, extensions });
  const info = (child.stdio as unknown[])[INFO_FD] as Readable;
  const block = (child.stdio as unknown[])[BLOCK_FD] as Writable;
  try {
    // With nsenter the Runtime API listens in the namespace itself and the server accepts its
    // connections directly: through pasta's forward each request could wait ~40 ms on delayed
    // ACKs (Nagle on the relayed socket), on every invoke.
    const nsenter = network.nsenter;
    let inside: ReturnType<typeof namespaceConnector> | null = null;
    let runtimeApiListener: Server | undefined;
    const attached = await network.pasta.attach(
      options.id, child, info, block, nsenter ? null : network.hostRuntimeApiPort, network.debuggerPort,
      nsenter
        ? async (netnsPath, networkReady) => {
            inside = namespaceConnector(nsenter, netnsPath);
            inside.start();
            // The namespace's loopback is up once pasta is ready.
            await networkReady;
            runtimeApiListener = await inside.listen(RUNTIME_API_PORT);
            // The listener is the server's now; the relay (a Node process) is started again only
            // for an extension that subscribes to telemetry.
            inside.close();
          }
        : undefined,
    ).catch((err: unknown) => {
      (inside as ReturnType<typeof namespaceConnector> | null)?.close();
      throw err;
    });
    const connector = inside as ReturnType<typeof namespaceConnector> | null;
    return sandboxedProcess(child, cgroup, {
      wrapped: true, extensions, connectInside: connector?.connect, runtimeApiListener,
      cleanup: async () => {
        runtimeApiListener?.close();
        connector?.close();
        attached.close();
      },
    });
  } catch {
    // The runtime never started (the server log says why): the environment sees it killed.
    const sandboxed = sandboxedProcess(child, cgroup, { wrapped: true, extensions });
    sandboxed.dispose();
    return sandboxed;
  }
}
