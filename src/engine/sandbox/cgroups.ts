import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import { CGROUP_CPU_PERIOD_US, CGROUP_PIDS_MAX, MB_PER_VCPU } from './limits.js';

export type CgroupKind = 'v2' | 'v1' | 'none';

/** Limits of one environment (spec §3.3: memory = MemorySize, CPU in proportion to it). */
export interface CgroupLimits {
  memoryMb: number;
}

/** One environment's cgroup(s): a v2 directory, or one directory per v1 controller. */
export interface EnvironmentCgroup {
  /** `cgroup.procs` files a process must join, before it starts anything. */
  readonly procsFiles: string[];
  join(pid: number): Promise<void>;
  /** A new memory limit (a spare environment given its function); the CPU quota follows it. */
  resize(memoryMb: number): Promise<void>;
  /** Applies the CPU quota; until then the environment may use a whole CPU (its Init phase). */
  throttleCpu(): Promise<void>;
  /** The kernel's peak memory figure for the whole environment, in bytes. */
  peakMemoryBytes(): Promise<number | undefined>;
  /** Whether the kernel's OOM killer has killed anything in the environment. */
  oomKilled(): Promise<boolean>;
  /** Kills whatever is left inside and removes the directories. */
  destroy(): Promise<void>;
}

/** Tells the hierarchy an environment's cgroup is gone. */
type Destroyed = (group: EnvironmentCgroup) => void;

interface ControllerDirs {
  memory?: string;
  cpu?: string;
  pids?: string;
}

/**
 * Finds a cgroup hierarchy we can create children in: v2 when its unified hierarchy offers the
 * memory controller, else v1's memory (plus cpu and pids when mounted). Each environment gets
 * `lambkin/<env-id>` under the cgroup the server itself runs in, so the server's own limits still
 * cover its functions.
 */
export class Cgroups {
  /** Environment cgroups not yet destroyed: close() waits for them before removing the server's folders. */
  private readonly live = new Set<EnvironmentCgroup>();

  private constructor(
    readonly kind: CgroupKind,
    private readonly bases: ControllerDirs,
    private readonly logger: Logger,
  ) {}

  static async detect(logger: Logger): Promise<Cgroups> {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return new Cgroups('none', {}, logger);
    const instance = ++serversInThisProcess;
    try {
      const v2 = await detectV2(instance);
      if (v2) return new Cgroups('v2', v2, logger);
      const v1 = await detectV1(instance);
      if (v1) return new Cgroups('v1', v1, logger);
    } catch (err) {
      logger.warn({ err }, 'cgroups could not be prepared');
    }
    logger.warn('no usable cgroup memory controller: MemorySize is not enforced and Max Memory Used is approximate');
    return new Cgroups('none', {}, logger);
  }

  static none(logger: Logger): Cgroups {
    return new Cgroups('none', {}, logger);
  }

  /** A fresh cgroup for environment `id`, or null when cgroups are unavailable (or creation fails). */
  async create(id: string, limits: CgroupLimits): Promise<EnvironmentCgroup | null> {
    if (this.kind === 'none') return null;
    try {
      const forget = (group: EnvironmentCgroup) => this.live.delete(group);
      const group = this.kind === 'v2' ? await V2Cgroup.create(this.bases.memory!, id, limits, forget) : await V1Cgroup.create(this.bases, id, limits, forget);
      this.live.add(group);
      return group;
    } catch (err) {
      this.logger.warn({ err, environment: id }, 'could not create the environment cgroup; it runs without limits');
      return null;
    }
  }

  /**
   * Destroys the environment cgroups still there and removes this server's folders, so a clean
   * shutdown leaves nothing under `lambkin/` (a killed server's folders go at the next start).
   */
  async close(): Promise<void> {
    await Promise.all([...this.live].map((group) => group.destroy()));
    await removeWhenEmpty(Object.values(this.bases) as string[]);
  }
}

export function cpuQuotaUs(memoryMb: number): number {
  return Math.max(1000, Math.round((CGROUP_CPU_PERIOD_US * memoryMb) / MB_PER_VCPU));
}

// ── v2 ────────────────────────────────────────────────────────────────────────────────────────

async function detectV2(instance: number): Promise<ControllerDirs | null> {
  const mount = (await cgroupMounts()).v2;
  if (!mount) return null;
  const controllers = (await readFile(path.join(mount, 'cgroup.controllers'), 'utf8').catch(() => '')).split(/\s+/);
  if (!controllers.includes('memory')) return null;
  const own = (await ownCgroups()).get('') ?? '/';
  let base = path.join(mount, own);
  // "No internal processes": a cgroup that hands controllers to children may hold no process of
  // its own (the root is exempt), so the server moves into a leaf beside the environments.
  if (own !== '/') {
    const leaf = path.join(base, 'lambkin-server');
    await mkdir(leaf, { recursive: true });
    await writeFile(path.join(leaf, 'cgroup.procs'), String(process.pid));
  }
  const wanted = ['memory', 'cpu', 'pids'].filter((c) => controllers.includes(c));
  await enableSubtree(base, wanted);
  base = path.join(base, 'lambkin');
  await mkdir(base, { recursive: true });
  await removeStale(base);
  await enableSubtree(base, wanted);
  const mine = await serverDir(base, instance);
  await enableSubtree(mine, wanted);
  return { memory: mine };
}

async function enableSubtree(dir: string, controllers: string[]): Promise<void> {
  for (const c of controllers) await writeFile(path.join(dir, 'cgroup.subtree_control'), `+${c}`).catch(() => undefined);
}

class V2Cgroup implements EnvironmentCgroup {
  readonly procsFiles: string[];
  private readonly peak: CounterFile;
  private readonly current: CounterFile;
  private constructor(
    private readonly dir: string,
    private limits: CgroupLimits,
    private readonly onDestroyed: Destroyed,
  ) {
    this.procsFiles = [path.join(dir, 'cgroup.procs')];
    this.peak = new CounterFile(path.join(dir, 'memory.peak'));
    this.current = new CounterFile(path.join(dir, 'memory.current'));
  }

  static async create(base: string, id: string, limits: CgroupLimits, onDestroyed: Destroyed): Promise<V2Cgroup> {
    const dir = path.join(base, id);
    await mkdir(dir);
    const group = new V2Cgroup(dir, limits, onDestroyed);
    const bytes = limits.memoryMb * 1024 * 1024;
    await writeFile(path.join(dir, 'memory.max'), String(bytes));
    await writeFile(path.join(dir, 'memory.swap.max'), '0').catch(() => undefined);
    await writeFile(path.join(dir, 'pids.max'), String(CGROUP_PIDS_MAX)).catch(() => undefined);
    return group;
  }

  async join(pid: number): Promise<void> {
    await writeFile(this.procsFiles[0]!, String(pid));
  }

  async resize(memoryMb: number): Promise<void> {
    await writeFile(path.join(this.dir, 'memory.max'), String(memoryMb * 1024 * 1024));
    this.limits = { ...this.limits, memoryMb };
  }

  async throttleCpu(): Promise<void> {
    const quota = cpuQuotaUs(this.limits.memoryMb);
    await writeFile(path.join(this.dir, 'cpu.max'), `${quota} ${CGROUP_CPU_PERIOD_US}`).catch(() => undefined);
    // Unused share carries over up to one period's worth (kernels ≥ 5.14), so short bursts run unthrottled.
    await writeFile(path.join(this.dir, 'cpu.max.burst'), String(quota)).catch(() => undefined);
  }

  async peakMemoryBytes(): Promise<number | undefined> {
    return (await this.peak.read()) ?? this.current.read();
  }

  async oomKilled(): Promise<boolean> {
    const events = await readFile(path.join(this.dir, 'memory.events'), 'utf8').catch(() => '');
    return Number(/^oom_kill (\d+)/m.exec(events)?.[1] ?? 0) > 0;
  }

  async destroy(): Promise<void> {
    await Promise.all([this.peak.close(), this.current.close()]);
    await writeFile(path.join(this.dir, 'cgroup.kill'), '1').catch(() => undefined);
    await removeWhenEmpty([this.dir]);
    this.onDestroyed(this);
  }
}

// ── v1 ────────────────────────────────────────────────────────────────────────────────────────

async function detectV1(instance: number): Promise<ControllerDirs | null> {
  const mounts = (await cgroupMounts()).v1;
  const own = await ownCgroups();
  const dirs: ControllerDirs = {};
  for (const controller of ['memory', 'cpu', 'pids'] as const) {
    const mount = mounts.get(controller);
    if (!mount || !existsSync(path.join(mount, 'cgroup.procs'))) continue;
    const base = path.join(mount, own.get(controller) ?? '/', 'lambkin');
    await mkdir(base, { recursive: true });
    await removeStale(base);
    dirs[controller] = await serverDir(base, instance);
  }
  return dirs.memory ? dirs : null;
}

class V1Cgroup implements EnvironmentCgroup {
  readonly procsFiles: string[];
  private readonly peak: CounterFile;
  private constructor(
    private readonly dirs: ControllerDirs,
    private limits: CgroupLimits,
    private readonly onDestroyed: Destroyed,
  ) {
    this.procsFiles = Object.values(dirs).map((d: string) => path.join(d, 'cgroup.procs'));
    this.peak = new CounterFile(path.join(dirs.memory!, 'memory.max_usage_in_bytes'));
  }

  static async create(bases: ControllerDirs, id: string, limits: CgroupLimits, onDestroyed: Destroyed): Promise<V1Cgroup> {
    const dirs: ControllerDirs = {};
    for (const [controller, base] of Object.entries(bases) as Array<[keyof ControllerDirs, string]>) {
      const dir = path.join(base, id);
      await mkdir(dir);
      dirs[controller] = dir;
    }
    const group = new V1Cgroup(dirs, limits, onDestroyed);
    try {
      const bytes = String(limits.memoryMb * 1024 * 1024);
      await writeFile(path.join(dirs.memory!, 'memory.limit_in_bytes'), bytes);
      // memory+swap equal to memory: no swap (absent when the kernel does not account swap).
      await writeFile(path.join(dirs.memory!, 'memory.memsw.limit_in_bytes'), bytes).catch(() => undefined);
      await writeFile(path.join(dirs.memory!, 'memory.swappiness'), '0').catch(() => undefined);
      if (dirs.pids) await writeFile(path.join(dirs.pids, 'pids.max'), String(CGROUP_PIDS_MAX));
      if (dirs.cpu) await writeFile(path.join(dirs.cpu, 'cpu.cfs_period_us'), String(CGROUP_CPU_PERIOD_US));
    } catch (err) {
      await group.destroy();
      throw err;
    }
    return group;
  }

  async join(pid: number): Promise<void> {
    for (const file of this.procsFiles) await writeFile(file, String(pid));
  }

  async resize(memoryMb: number): Promise<void> {
    const memory = this.dirs.memory!;
    const bytes = String(memoryMb * 1024 * 1024);
    // memory+swap may never be below memory: lower memory first, raise memory+swap first.
    const files = memoryMb < this.limits.memoryMb ? ['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes'] : ['memory.memsw.limit_in_bytes', 'memory.limit_in_bytes'];
    for (const file of files) await writeFile(path.join(memory, file), bytes).catch((err: NodeJS.ErrnoException) => {
      if (file === 'memory.limit_in_bytes' || err.code !== 'ENOENT') throw err;
    });
    this.limits = { ...this.limits, memoryMb };
  }

  async throttleCpu(): Promise<void> {
    if (!this.dirs.cpu) return;
    const quota = cpuQuotaUs(this.limits.memoryMb);
    await writeFile(path.join(this.dirs.cpu, 'cpu.cfs_quota_us'), String(quota)).catch(() => undefined);
    // Unused share carries over up to one period's worth (kernels ≥ 5.14), so short bursts run unthrottled.
    await writeFile(path.join(this.dirs.cpu, 'cpu.cfs_burst_us'), String(quota)).catch(() => undefined);
  }

  peakMemoryBytes(): Promise<number | undefined> {
    return this.peak.read();
  }

  async oomKilled(): Promise<boolean> {
    const control = await readFile(path.join(this.dirs.memory!, 'memory.oom_control'), 'utf8').catch(() => '');
    if (Number(/^oom_kill (\d+)/m.exec(control)?.[1] ?? 0) > 0) return true;
    return false;
  }

  async destroy(): Promise<void> {
    // v1 has no cgroup.kill: kill what is listed until nothing is.
    await removeWhenEmpty(Object.values(this.dirs) as string[], this.dirs.memory);
    this.onDestroyed(this);
  }
}

// ── shared ────────────────────────────────────────────────────────────────────────────────────

const SERVER_DIR = /^server-(\d+)(?:-\d+)?$/;

/** Servers started by one process (tests start several) each get their own folder. */
let serversInThisProcess = 0;

/** This server's folder under `base`: its environments' cgroups go there, apart from other servers'. */
async function serverDir(base: string, instance: number): Promise<string> {
  const dir = path.join(base, `server-${process.pid}-${instance}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Servers that exited before cleaning up leave empty cgroups behind. Only the folders of servers
 * that are gone are cleared: another live server's environment cgroup is empty between its
 * creation and the runtime joining it, and removing it then would fail that environment's start.
 */
async function removeStale(base: string): Promise<void> {
  const entries = await readdir(base, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(base, entry.name);
    const server = SERVER_DIR.exec(entry.name);
    if (server) {
      if (isAlive(Number(server[1]))) continue;
      const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const child of children) if (child.isDirectory()) await rmdir(path.join(dir, child.name)).catch(() => undefined);
    }
    // rmdir only removes an empty cgroup: one with processes stays.
    await rmdir(dir).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kills every process left in `killFrom` (if given) and removes the directories once they are empty. */
async function removeWhenEmpty(dirs: string[], killFrom?: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    if (killFrom) {
      const pids = (await readFile(path.join(killFrom, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    let left = 0;
    for (const dir of dirs) {
      try {
        await rmdir(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') left++;
      }
    }
    if (left === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A cgroup counter read after every invocation (for REPORT's Max Memory Used): the file stays open
 * and each read is one pread, instead of open/fstat/read/close per invoke.
 */
class CounterFile {
  private fd: number | null | undefined;
  private readonly buffer = Buffer.alloc(32);

  constructor(private readonly file: string) {}

  /**
   * A synchronous read on purpose: a cgroup counter is a kernel pseudo-file answered in a few
   * microseconds, roughly a tenth of the cost of a round trip through the thread pool.
   */
  async read(): Promise<number | undefined> {
    if (this.fd === undefined) {
      try {
        this.fd = openSync(this.file, 'r');
      } catch {
        this.fd = null;
      }
    }
    if (this.fd === null) return undefined;
    try {
      const bytesRead = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      const n = Number(this.buffer.toString('utf8', 0, bytesRead).trim());
      return bytesRead > 0 && Number.isFinite(n) ? n : undefined;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    const fd = this.fd;
    this.fd = null;
    if (typeof fd === 'number') {
      try {
        closeSync(fd);
      } catch {
        // already gone with its cgroup
      }
    }
  }
}

/** The unified (v2) mount and the v1 mount of each controller, from /proc/self/mounts. */
async function cgroupMounts(): Promise<{ v2?: string; v1: Map<string, string> }> {
  const text = await readFile('/proc/self/mounts', 'utf8');
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  for (const line of text.split('\n')) {
    const [, mountPoint, type, options] = line.split(' ');
    if (!mountPoint || !options) continue;
    if (type === 'cgroup2') v2 ??= mountPoint;
    else if (type === 'cgroup') for (const opt of options.split(',')) if (!v1.has(opt)) v1.set(opt, mountPoint);
  }
  return { v2, v1 };
}

/** Controller → the server's own cgroup path ('' is the v2 hierarchy), from /proc/self/cgroup. */
async function ownCgroups(): Promise<Map<string, string>> {
  const text = await readFile('/proc/self/cgroup', 'utf8');
  const own = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, controllers, cgroupPath] = match;
    if (controllers === '') own.set('', cgroupPath!);
    else for (const c of controllers!.split(',')) own.set(c, cgroupPath!);
  }
  return own;
}
