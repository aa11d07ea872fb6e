import { randomBytes } from 'node:crypto';
import { copyFile, link, lstat, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import type { ImageRun } from '../image-run.js';
import type { RuntimeLaunch } from '../runtimes/catalog.js';
import type { SandboxUser } from './unprivileged-user.js';
import { EPHEMERAL_STORAGE_DEFAULT_MB } from './limits.js';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { ConnectionSource, Sandbox, SandboxedProcess, SandboxSpec } from './sandbox.js';

/** The largest memory a function may have: a spare's cgroup shrinks to its function's on adoption. */
const SPARE_MEMORY_MB = 10_240;

/** What a spare's runtime starts with: no function's variable, only what every function has alike. */
const SPARE_ENV: Record<string, string> = { LAMBKIN_SPARE: '1', LANG: 'en_US.UTF-8', TZ: ':UTC' };

/**
 * Variables an interpreter reads as it starts (flags, module paths, preloads, locale, a wrapper
 * script): a function that sets one to anything but the spare's value needs a runtime started with it.
 */
const READ_AT_START = /^(NODE_|PYTHON|LD_|MALLOC_|GLIBC_|UV_|OPENSSL_|SSL_CERT_|LC_|LANG$|TZ$|PATH$|AWS_LAMBDA_EXEC_WRAPPER$)/;

export interface SpareOptions {
  /** Where spares' code folders live (emptied at start: what a killed server left there). */
  dir: string;
  /** Spares kept ready per runtime that functions used lately; 0 turns spares off. */
  perRuntime: number;
  /** A runtime no function started for this long gets no more spares (its ready ones are stopped). */
  idleMs: number;
  logger: Logger;
}

interface Spare {
  key: string;
  dir: string;
  taskDir: string;
  process: SandboxedProcess;
  /** The runtime's connections to its Runtime API, held until an environment serves them. */
  connections: HeldConnections;
  adopted: boolean;
  dead: boolean;
}

interface Demand {
  launch: RuntimeLaunch;
  /** Whom plain processes run as (the sandbox's choice under bubblewrap). */
  user: SandboxUser | null;
  lastWantedAt: number;
  starting: number;
}

/**
 * Spare environments: for each Node.js or Python runtime functions started lately, a sandbox whose
 * interpreter and runtime client have already started (its own namespaces, network, cgroup and
 * /tmp), waiting for a function. A cold start of an eligible function adopts one instead of
 * starting a process: its code is linked into the spare's empty /var/task, the cgroup shrinks to
 * the function's memory, and the runtime receives the function's variables from the Runtime API
 * (`takeAssignment`) before it reads any of them, then loads the handler as usual. A spare serves
 * one function once and is never reused; a new one starts in the background.
 *
 * Eligible: zip functions of the nodejs and python families without layers (an extension must start
 * before the runtime), with the default /tmp size, without a debugger or hot-reload folder, and
 * without variables their interpreter reads as it starts (NODE_OPTIONS, PYTHONPATH, LD_PRELOAD…).
 * Every other start is the sandbox's own, unchanged.
 */
export class SpareEnvironments implements Sandbox {
  private readonly ready = new Map<string, Spare[]>();
  private readonly demand = new Map<string, Demand>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sweep: NodeJS.Timeout;
  private closed = false;
  private adopted = 0;
  readonly imageRoot?: (image: ImageRun) => Promise<string>;

  constructor(private readonly inner: Sandbox, private readonly options: SpareOptions) {
    if (inner.imageRoot) this.imageRoot = (image) => inner.imageRoot!(image);
    this.sweep = setInterval(() => this.stopIdle(), Math.min(60_000, options.idleMs)).unref();
  }

  /** Removes the code folders of spares a previous process left behind. */
  static async clearStale(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true, mode: 0o755 });
  }

  get isolationLevel() {
    return this.inner.isolationLevel;
  }

  get cgroupKind() {
    return this.inner.cgroupKind;
  }

  get networkIsolation() {
    return this.inner.networkIsolation;
  }

  spares(): { ready: number; starting: number; adopted: number } {
    let ready = 0;
    let starting = 0;
    for (const list of this.ready.values()) for (const spare of list) spare.connections.waiting ? ready++ : starting++;
    for (const demand of this.demand.values()) starting += demand.starting;
    return { ready, starting, adopted: this.adopted };
  }

  async launch(spec: SandboxSpec): Promise<SandboxedProcess> {
    const key = this.options.perRuntime > 0 ? spareKey(spec) : null;
    if (!key) return this.inner.launch(spec);
    const spare = this.takeReady(key);
    this.want(key, spec);
    if (!spare) return this.inner.launch(spec);
    try {
      return await this.adopt(spare, spec);
    } catch (err) {
      this.options.logger.warn({ err, functionEnvironment: spec.id }, 'a spare environment could not be adopted; starting a new one');
      this.discard(spare);
      return this.inner.launch(spec);
    }
  }

  /** A spare whose runtime has started (it is waiting on its Runtime API), else any of this runtime. */
  private takeReady(key: string): Spare | undefined {
    const list = this.ready.get(key);
    if (!list?.length) return undefined;
    const index = Math.max(0, list.findIndex((spare) => spare.connections.waiting));
    return list.splice(index, 1)[0];
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweep);
    for (const timer of this.timers) clearTimeout(timer);
    for (const list of this.ready.values()) for (const spare of list) this.discard(spare);
    this.ready.clear();
    await this.inner.close();
  }

  private async adopt(spare: Spare, spec: SandboxSpec): Promise<SandboxedProcess> {
    spare.adopted = true;
    await linkTree(spec.codeDir, spare.taskDir);
    await spare.process.resizeMemory?.(spec.memoryMb);
    this.adopted++;
    // The runtime keeps the Runtime API address it started with (its own namespace's).
    const { AWS_LAMBDA_RUNTIME_API: _ownAddress, ...variables } = spec.env;
    let assignment: Record<string, string> | undefined = variables;
    const adopted = spare.process;
    return {
      ...adopted,
      runtimeApiListener: spare.connections,
      takeAssignment() {
        const given = assignment;
        assignment = undefined;
        return given;
      },
      dispose() {
        adopted.dispose();
        void rm(spare.dir, { recursive: true, force: true }).catch(() => undefined);
      },
    };
  }

  /** Keeps `perRuntime` spares of this runtime, started shortly after (not during) the start that wanted one. */
  private want(key: string, spec: SandboxSpec): void {
    const demand = this.demand.get(key) ?? { launch: spec.launch, user: spec.user, lastWantedAt: 0, starting: 0 };
    demand.lastWantedAt = Date.now();
    this.demand.set(key, demand);
    const missing = this.options.perRuntime - (this.ready.get(key)?.length ?? 0) - demand.starting;
    for (let i = 0; i < missing; i++) {
      demand.starting++;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.start(key, demand).finally(() => demand.starting--);
      }, 50);
      this.timers.add(timer);
    }
  }

  private async start(key: string, demand: Demand): Promise<void> {
    if (this.closed) return;
    const id = randomBytes(16).toString('hex');
    const dir = path.join(this.options.dir, id);
    const taskDir = path.join(dir, 'task');
    // Its runtime must reach a Runtime API that exists before any environment: its own namespace's
    // 127.0.0.1:9001 (the sandbox makes it), else a loopback port of the host's taken now.
    const hostListener = this.inner.networkIsolation === 'namespace' ? null : await listenOnLoopback();
    try {
      await mkdir(taskDir, { recursive: true, mode: 0o755 });
      const env = { ...SPARE_ENV, ...(hostListener ? { AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${(hostListener.address() as AddressInfo).port}` } : {}) };
      const started = await this.inner.launch({
        id, launch: demand.launch, codeDir: taskDir, layerArns: [], memoryMb: SPARE_MEMORY_MB, ephemeralStorageMb: EPHEMERAL_STORAGE_DEFAULT_MB, user: demand.user, env,
      });
      const listener = started.runtimeApiListener ?? hostListener ?? undefined;
      const process = hostListener ? closingWith(started, hostListener) : started;
      const spare: Spare = { key, dir, taskDir, process, connections: new HeldConnections(listener), adopted: false, dead: false };
      if (!listener || this.closed) return this.discard(spare);
      started.onError(() => this.lost(spare));
      started.onExit(() => this.lost(spare));
      this.ready.set(key, [...(this.ready.get(key) ?? []), spare]);
    } catch (err) {
      this.options.logger.warn({ err }, 'a spare environment did not start');
      hostListener?.close();
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** A spare died before any function took it: forget it (the next start of its runtime starts another). */
  private lost(spare: Spare): void {
    if (spare.adopted || spare.dead) return;
    this.discard(spare);
  }

  private discard(spare: Spare): void {
    spare.dead = true;
    const list = this.ready.get(spare.key);
    if (list) this.ready.set(spare.key, list.filter((s) => s !== spare));
    spare.process.dispose();
    void rm(spare.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  private stopIdle(): void {
    const cutoff = Date.now() - this.options.idleMs;
    for (const [key, demand] of this.demand) {
      if (demand.lastWantedAt > cutoff || demand.starting > 0) continue;
      this.demand.delete(key);
      for (const spare of this.ready.get(key) ?? []) this.discard(spare);
      this.ready.delete(key);
    }
  }
}

/** A listening socket on a free loopback port, accepting paused (the HTTP parser comes later). */
function listenOnLoopback(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ pauseOnConnect: true });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** The process, whose disposal also closes the listener made for its Runtime API. */
function closingWith(started: SandboxedProcess, listener: Server): SandboxedProcess {
  return {
    ...started,
    runtimeApiListener: listener,
    dispose() {
      started.dispose();
      listener.close();
    },
  };
}

/**
 * The listener accepts as soon as the runtime connects, long before an environment serves the
 * Runtime API: connections wait here (paused: their requests stay unread) and go to the first
 * `connection` listener, then every later one does too.
 */
class HeldConnections implements ConnectionSource {
  private readonly held: Socket[] = [];
  private serve: ((socket: Socket) => void) | undefined;

  constructor(listener: ConnectionSource | undefined) {
    listener?.on('connection', (socket) => {
      if (this.serve) this.serve(socket);
      else {
        socket.on('error', () => undefined);
        this.held.push(socket);
      }
    });
  }

  /** Whether the runtime has connected, i.e. its interpreter and runtime client have started. */
  get waiting(): boolean {
    return this.held.length > 0;
  }

  on(_event: 'connection', listener: (socket: Socket) => void): this {
    this.serve = listener;
    for (const socket of this.held.splice(0)) listener(socket);
    return this;
  }
}

/** Which spares can serve this start (same interpreter and runtime client), or null if none can. */
export function spareKey(spec: SandboxSpec): string | null {
  const { launch } = spec;
  if (launch.family !== 'nodejs' && launch.family !== 'python') return null;
  if (spec.image || spec.codeFromHostFolder || spec.debuggerPort !== undefined || spec.layerArns.length > 0) return null;
  if ((spec.ephemeralStorageMb || EPHEMERAL_STORAGE_DEFAULT_MB) !== EPHEMERAL_STORAGE_DEFAULT_MB || spec.memoryMb > SPARE_MEMORY_MB) return null;
  for (const [name, value] of Object.entries(spec.env)) {
    if (READ_AT_START.test(name) && value !== SPARE_ENV[name]) return null;
  }
  return [launch.family, launch.command, ...launch.args].join('\0');
}

/**
 * The deployment package's files in the spare's /var/task, as hard links (no bytes copied; the
 * sandbox mounts the folder read-only), copied where the two folders are on different filesystems.
 */
async function linkTree(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(target, { mode: (await lstat(source)).mode & 0o7777 });
      await linkTree(source, target);
    } else if (entry.isSymbolicLink()) {
      await symlink(await readlink(source), target);
    } else {
      await link(source, target).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EXDEV' && err.code !== 'EPERM') throw err;
        await copyFile(source, target);
      });
    }
  }
}
