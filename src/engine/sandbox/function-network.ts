import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { isLoopback } from '../../contracts/loopback.js';
import type { Logger } from '../../logger.js';
import { RUNTIME_API_PORT, NAMESPACE_ADDRESS, NAMESPACE_DNS, NAMESPACE_GATEWAY, NAMESPACE_PREFIX_LENGTH, NETWORK_SETUP_TIMEOUT_MS } from './limits.js';

/** pasta, and the two util-linux tools around it. */
export interface NetworkTools {
  pasta: string;
  setpriv: string;
  unshare: string;
}

/** One environment's user-mode network: stops with the environment, or with the server. */
export interface AttachedNetwork {
  /** The namespace, for what must connect from inside it (telemetry delivery to an extension's listener). */
  readonly netnsPath: string;
  close(): void;
}

/**
 * A network namespace per environment (`unshare --net` around bubblewrap) given connectivity by pasta
 * (Debian `passt`): outbound TCP/UDP to the outside network and to the host's non-loopback
 * addresses, and, of the host's loopback, only the ports named here, each forwarded from the same
 * number inside (`-T`): the environment's own Runtime API as 127.0.0.1:9001 (as on AWS), Lambkin's
 * endpoint, and the ports the operator allowed. Nothing else on the host's 127.0.0.1 (databases,
 * other environments' Runtime APIs) exists inside, and `/proc/net/tcp` lists only the namespace's
 * own sockets.
 */
export class PastaNetwork {
  private constructor(
    private readonly tools: NetworkTools,
    private readonly runDir: string,
    /** Lambkin's own URL, known once the server listens; never the function's variable, which its code controls. */
    private readonly endpointUrl: () => string,
    /** Host loopback ports the operator lets functions reach (`LAMBKIN_FUNCTION_HOST_PORTS`). */
    readonly allowedHostPorts: number[],
    private readonly logger: Logger,
    /**
     * The host loopback port Lambkin serves functions' own calls on (contracts/function-traffic.ts):
     * the endpoint's port inside leads there, so those calls are told apart from the host's own.
     */
    private readonly functionsPort: () => number | null,
  ) {}

  static async create(tools: NetworkTools, endpointUrl: () => string, allowedHostPorts: number[], logger: Logger, functionsPort: () => number | null = () => null): Promise<PastaNetwork> {
    const runDir = await mkdtemp(path.join(tmpdir(), 'lambkin-net-'));
    // Image environments' bubblewrap runs unprivileged and must reach resolv.conf (nothing else here is secret).
    await chmod(runDir, 0o711);
    await writeFile(path.join(runDir, RESOLV_CONF), namespaceResolvConf(await readFile('/etc/resolv.conf', 'utf8').catch(() => '')), { mode: 0o644 });
    return new PastaNetwork(tools, runDir, endpointUrl, allowedHostPorts, logger, functionsPort);
  }

  /**
   * bubblewrap arguments, after the sandbox's /etc is in place, that make its /etc/resolv.conf
   * name the namespace's resolver. Only over a regular file: a bind cannot land on a link (the
   * host's may point into /run) or create a file in a read-only image root.
   */
  resolvConfMount(targetIsFile: boolean): string[] {
    return targetIsFile ? ['--ro-bind', path.join(this.runDir, RESOLV_CONF), '/etc/resolv.conf'] : [];
  }

  /**
   * The sandbox command behind `unshare --net`, which makes the namespace, so bubblewrap (no
   * `--unshare-net`) never configures its loopback. Its own loopback setup raced pasta's, which
   * brings `lo` up too: whichever came second failed (`bwrap: loopback: Failed RTM_NEWADDR`) and
   * the environment died at start. pasta alone configures the namespace, `lo` included. Made as
   * root before any privilege is dropped, the namespace is one pasta may join, also for image
   * environments whose bubblewrap then runs unprivileged in a user namespace of its own.
   */
  wrap(command: string[]): string[] {
    return [this.tools.unshare, '--net', '--', ...command];
  }

  /** bubblewrap arguments: the sandbox's pid on `infoFd`, held at exec until `blockFd` is written. */
  bwrapArgs(infoFd: number, blockFd: number): string[] {
    return ['--info-fd', String(infoFd), '--block-fd', String(blockFd)];
  }

  /** `AWS_LAMBDA_RUNTIME_API` as the function sees it. */
  get runtimeApiAddress(): string {
    return `127.0.0.1:${RUNTIME_API_PORT}`;
  }

  /**
   * Reads the sandbox's pid from bubblewrap's info pipe, starts pasta in its network namespace and,
   * once pasta has bound every forward, releases the sandbox: the runtime never sees a namespace
   * without its Runtime API. `inboundPort`, when given, is forwarded the other way: the host's
   * 127.0.0.1 on that port reaches the same port inside (a debugger session's runtime).
   */
  /**
   * `runtimeApiPort` null: the Runtime API listens inside the namespace itself (`prepare` binds
   * it), so pasta forwards no 9001. `prepare` runs once the namespace is known, alongside pasta's
   * set-up, and the sandbox is released only after both.
   */
  async attach(
    id: string, child: ChildProcess, info: Readable, block: Writable, runtimeApiPort: number | null, inboundPort?: number,
    prepare?: (netnsPath: string, networkReady: Promise<void>) => Promise<void>,
  ): Promise<AttachedNetwork> {
    // bubblewrap closes both once used; a reset then is expected, not an error of the server.
    block.on('error', () => undefined);
    info.on('error', () => undefined);
    const sandboxPid = await readChildPid(info);
    const netnsPath = `/proc/${sandboxPid}/ns/net`;
    const pidFile = path.join(this.runDir, `${id}.pid`);
    writeFileSync(pidFile, '');
    // pasta opens the namespace after dropping CAP_SYS_PTRACE, which /proc/<pid>/ns/net of another
    // process needs; its own descriptor (/proc/self/fd/N) needs nothing.
    const netns = openSync(netnsPath, 'r');
    let pasta: ChildProcess;
    try {
      pasta = spawn(this.tools.setpriv, ['--pdeathsig', 'KILL', '--', this.tools.pasta, ...this.pastaArgs(pidFile, runtimeApiPort, inboundPort)], {
        stdio: ['ignore', 'ignore', 'pipe', netns],
      });
    } finally {
      closeSync(netns);
    }
    let stderr = '';
    pasta.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
    const close = () => {
      if (pasta.exitCode === null && pasta.signalCode === null) pasta.kill('SIGKILL');
      void rm(pidFile, { force: true });
    };
    try {
      const ready = pastaReady(pidFile, pasta, child, () => stderr);
      await Promise.all([ready, prepare?.(netnsPath, ready)]);
    } catch (err) {
      close();
      this.logger.error({ err, environment: id }, "the environment's network could not be set up; its runtime is not started");
      throw err;
    }
    block.end('go');
    return { netnsPath, close };
  }

  async close(): Promise<void> {
    await rm(this.runDir, { recursive: true, force: true });
  }

  private pastaArgs(pidFile: string, runtimeApiPort: number | null, inboundPort: number | undefined): string[] {
    const endpointPort = loopbackEndpointPort(this.endpointUrl());
    const functionsPort = this.functionsPort();
    const shared = sharedHostPorts(this.endpointUrl(), this.allowedHostPorts).map((port) => (port === endpointPort && functionsPort ? `${port}:${functionsPort}` : String(port)));
    const forwards = [...(runtimeApiPort === null ? [] : [`${RUNTIME_API_PORT}:${runtimeApiPort}`]), ...shared];
    return [
      // Foreground: our child, killed with the environment, and by its parent-death signal with the server.
      '-f', '-q', '-P', pidFile,
      // pasta would drop to `nobody`, which may not enter a namespace root created.
      '--runas', '0:0',
      '--config-net', '-4',
      // A private address: the host's own addresses are then outside, reached through pasta like any other host's.
      '-a', NAMESPACE_ADDRESS, '-n', String(NAMESPACE_PREFIX_LENGTH), '-g', NAMESPACE_GATEWAY,
      // The gateway would otherwise be the host's loopback.
      '--no-map-gw',
      // DNS to the namespace's resolver goes to the host's first resolver, sent from the host side.
      '--dns-forward', NAMESPACE_DNS,
      // From the host into the namespace only a debugger session's port, bound to the host's loopback;
      // from the namespace to the host's loopback only these.
      '-t', inboundPort ? `127.0.0.1/${inboundPort}` : 'none', '-u', 'none', '-U', 'none', '-T', forwards.join(','),
      '--netns', '/proc/self/fd/3',
      // pasta would otherwise watch the namespace's directory to quit with it, holding an inotify
      // instance per environment: a user gets 128 of them (fs.inotify.max_user_instances), and a
      // host with a hundred environments then had none left for anything else. pasta is our child,
      // stopped with its environment.
      '--no-netns-quit',
    ];
  }
}

const RESOLV_CONF = 'resolv.conf';

/** The namespace's resolver, keeping the host's search domains and options. */
export function namespaceResolvConf(host: string): string {
  const kept = host.split('\n').filter((line) => /^\s*(search|domain|options)\s/.test(line));
  return [`nameserver ${NAMESPACE_DNS}`, ...kept, ''].join('\n');
}

/** The endpoint's port when the endpoint is on loopback (functions reach it through pasta), else null. */
function loopbackEndpointPort(endpointUrl: string): number | null {
  const url = new URL(endpointUrl);
  return isLoopback(url.hostname) ? Number(url.port || (url.protocol === 'https:' ? 443 : 80)) : null;
}

/** Loopback ports of the host each environment reaches: Lambkin's endpoint when it is on loopback, then the allowed ones. */
export function sharedHostPorts(endpointUrl: string, allowed: number[]): number[] {
  const ports = new Set<number>();
  const endpointPort = loopbackEndpointPort(endpointUrl);
  if (endpointPort !== null) ports.add(endpointPort);
  for (const port of allowed) ports.add(port);
  // 9001 inside is the Runtime API, whatever the host has there.
  ports.delete(RUNTIME_API_PORT);
  return [...ports].sort((a, b) => a - b);
}


function readChildPid(info: Readable): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (!match) return;
      // Keep reading until bubblewrap closes it: it may still be writing the rest of its report.
      info.off('data', onData);
      info.resume();
      resolve(Number(match[1]));
    };
    info.on('data', onData);
    info.once('close', () => reject(new Error('bubblewrap exited before it reported the sandbox pid')));
  });
}

/** How often the pid file is looked at where it cannot be watched. */
const PID_FILE_POLL_MS = 5;

/**
 * pasta opens its pid file only after it configured the namespace and bound every forward, so the
 * file's first change means ready. A pasta that exits, or a sandbox that dies, first means failed.
 */
function pastaReady(pidFile: string, pasta: ChildProcess, sandbox: ChildProcess, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const written = () => Boolean(statSync(pidFile, { throwIfNoEntry: false })?.size);
    // Without an inotify instance to spare (the user's fs.inotify.max_user_instances are all taken
    // by other programs), the file is looked at every few milliseconds instead.
    let watcher: FSWatcher | null = null;
    let poll: NodeJS.Timeout | undefined;
    try {
      watcher = watch(pidFile);
    } catch {
      poll = setInterval(() => written() && finish(), PID_FILE_POLL_MS);
    }
    const timer = setTimeout(() => finish(new Error(`pasta did not set up the network within ${NETWORK_SETUP_TIMEOUT_MS} ms`)), NETWORK_SETUP_TIMEOUT_MS);
    const onPastaExit = (code: number | null) => finish(new Error(`pasta exited (${code ?? 'signal'}): ${stderr().trim() || 'no message'}`));
    const onSandboxExit = () => finish(new Error('the sandbox exited before its network was ready'));
    const onPastaError = (err: Error) => finish(err);
    function finish(err?: Error) {
      clearTimeout(timer);
      clearInterval(poll);
      watcher?.close();
      pasta.off('exit', onPastaExit);
      pasta.off('error', onPastaError);
      sandbox.off('exit', onSandboxExit);
      if (err) reject(err);
      else resolve();
    }
    watcher?.on('change', () => finish());
    watcher?.on('error', (err) => finish(err));
    // On a loaded host pasta can be done before the watch exists: a pid already written is ready too.
    if (written()) finish();
    pasta.on('exit', onPastaExit);
    pasta.on('error', onPastaError);
    sandbox.on('exit', onSandboxExit);
  });
}
