import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../../logger.js';
import { PastaNetwork } from './function-network.js';
import { which } from './executable.js';

export type NetworkProbe = { ok: true; network: PastaNetwork; nsenter: string | null } | { ok: false; reason: string };

/**
 * pasta (Debian `passt`) and a trial: a bubblewrap sandbox in a fresh network namespace that pasta
 * must set up, as every environment's will be. Anything missing is a reason, not an error: the
 * caller falls back to the host's network and says so.
 */
export async function probeFunctionNetwork(
  tools: { bwrap: string; setpriv: string },
  endpointUrl: () => string,
  allowedHostPorts: number[],
  logger: Logger,
  functionsPort: () => number | null = () => null,
): Promise<NetworkProbe> {
  const pasta = await which('pasta');
  if (!pasta) return { ok: false, reason: 'pasta is not installed (Debian package passt)' };
  const unshare = await which('unshare');
  if (!unshare) return { ok: false, reason: 'unshare is not installed (Debian package util-linux)' };
  const nsenter = await which('nsenter');
  const networkTools = { pasta, setpriv: tools.setpriv, unshare };
  const network = await PastaNetwork.create(networkTools, () => 'http://127.0.0.1:1', [], logger.child({ probe: true }));
  try {
    const [command, ...args] = network.wrap([tools.bwrap, '--die-with-parent', ...network.bwrapArgs(3, 4), '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--', 'true']);
    // Its own process group: a failed trial is killed whole, the sandbox's child included, which
    // would otherwise hold the server's pipes open (and a test runner's) after bubblewrap is gone.
    const child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const attached = await network.attach('probe', child, child.stdio[3] as Readable, child.stdio[4] as Writable, 1).catch((err: Error) => err);
    // A failed attach never released bubblewrap, which waits on its block descriptor for ever.
    if (attached instanceof Error) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
    const code = await exited;
    if (attached instanceof Error) return { ok: false, reason: `trial network namespace failed: ${attached.message}${stderr ? ` (${stderr.trim()})` : ''}` };
    attached.close();
    if (code !== 0) return { ok: false, reason: `trial sandbox in a network namespace exited ${code}: ${stderr.trim()}` };
  } finally {
    await network.close();
  }
  return { ok: true, network: await PastaNetwork.create(networkTools, endpointUrl, allowedHostPorts, logger, functionsPort), nsenter };
}
