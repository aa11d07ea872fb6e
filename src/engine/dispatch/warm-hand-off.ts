import { MB_PER_VCPU } from '../sandbox/limits.js';

/**
 * A version whose shortest recent run is this short is worth waiting for (a longer one is I/O or
 * real work), until its shortest run grows past `LONG_RUN_MS`: contention on the server lengthens
 * every run it measures, so one threshold would flip a busy host back to spreading.
 */
const SHORT_RUN_MS = 5;
const LONG_RUN_MS = 20;
/**
 * A waiting invocation takes another environment once none of the version's invocations has ended
 * for this long (they are stuck on long runs); a deep queue that keeps moving is waited out.
 */
const STALL_MS = 50;
/**
 * While an environment of the version is starting, a waiter keeps waiting up to this long: the new
 * environment will take the queue, and one more start would finish no sooner. A hung Init is no
 * reason to hold callers longer than this.
 */
const START_WAIT_MAX_MS = 1000;
/** The shortest recent run is remembered over one to two of these windows. */
const MIN_WINDOW_MS = 1000;

/** What a waiting invocation is given: the environment that just became free, or nothing (go elsewhere). */
export type HandOffTaker<E> = (env: E | null) => void;

interface Waiter<E> {
  revisionId: string;
  take: HandOffTaker<E>;
  timer: NodeJS.Timeout | undefined;
  /** When the stall timer was last armed. */
  armedAt: number;
  /** When it began to wait. */
  since: number;
}

/** One function version's running invocations, their typical length, and who waits for them. */
interface VersionLoad<E> {
  running: number;
  /** Environments starting for it (in Init): each will take an invocation as soon as it is up. */
  starting: number;
  /**
   * Shortest warm run lately (this window and the one before): what a run takes without waiting for
   * a CPU, as contention only ever lengthens runs. Infinity until one has run.
   */
  shortestMs: number;
  previousShortestMs: number;
  windowStartedAt: number;
  /** Between SHORT_RUN_MS and LONG_RUN_MS: whether it last was short. */
  short: boolean;
  /** When an invocation of this version last ended. */
  lastEndedAt: number;
  waiters: Waiter<E>[];
}

/**
 * More environments of a short, CPU-bound function than the host has CPUs for only add process
 * switches: on 2 cores, 16 environments of a no-op handler serve about half of what 2 do, at four
 * times the CPU per invocation. So while the host's CPUs have little to spare, once a version runs
 * as many invocations as the host can give a full CPU share (1,769 MB = one vCPU, as AWS allots
 * it) and its runs can be short (≤ 5 ms), a new invocation waits for the first of those
 * environments to come free instead of waking an idle one or starting another; if none of them
 * ends for 50 ms (and none is starting, for up to a second), it takes another anyway. Environments
 * in their Init count toward that number, so a burst starts no more of them than the CPUs can run.
 * Each environment still runs one invocation at a time,
 * and concurrency is leased before waiting, so throttling and `ConcurrentExecutions` are what AWS
 * would show. Longer runs (I/O, real work) and an idle host never wait.
 */
export class WarmHandOff<E> {
  private readonly loads = new Map<string, VersionLoad<E>>();

  /** `cpus`: the host's; `hostBusy`: whether they have little to spare now. */
  constructor(private readonly cpus: number, private readonly hostBusy: () => boolean = () => true) {}

  /** Whether an invocation of `key` should wait for a busy environment rather than take another. */
  shouldWait(key: string, memoryMb: number): boolean {
    const load = this.loads.get(key);
    if (!load || load.running + load.starting < hotLimit(this.cpus, memoryMb)) return false;
    const shortest = Math.min(load.shortestMs, load.previousShortestMs);
    if (shortest <= SHORT_RUN_MS) load.short = true;
    else if (shortest > LONG_RUN_MS) load.short = false;
    // A start under way is CPU spoken for even when the host's counters, read over the last 100 ms
    // or more, do not show it yet: a burst arriving at once would otherwise start one for each.
    return load.short && (load.starting > 0 || this.hostBusy());
  }

  /**
   * Queues a taker; it gets the next environment of `key` whose invocation ends (see `finished`),
   * or null once they stall (none ends for 50 ms).
   */
  wait(key: string, revisionId: string, take: HandOffTaker<E>): void {
    const load = this.loadOf(key);
    const waiter: Waiter<E> = { revisionId, take, timer: undefined, armedAt: 0, since: performance.now() };
    load.waiters.push(waiter);
    this.armStallTimer(load, waiter);
  }

  /**
   * Checks in the check phase, after the poll phase has handled whatever the runtimes sent: a timer
   * that fires late because the event loop was busy must not mistake unread answers for a stall.
   */
  private armStallTimer(load: VersionLoad<E>, waiter: Waiter<E>): void {
    waiter.armedAt = performance.now();
    waiter.timer = setTimeout(() => setImmediate(() => {
      const i = load.waiters.indexOf(waiter);
      if (i < 0) return;
      if (load.lastEndedAt > waiter.armedAt) return this.armStallTimer(load, waiter);
      if (load.starting > 0 && performance.now() - waiter.since < START_WAIT_MAX_MS) return this.armStallTimer(load, waiter);
      load.waiters.splice(i, 1);
      waiter.take(null);
    }), STALL_MS);
  }

  /** An invocation of `key` went into an environment. */
  started(key: string): void {
    this.loadOf(key).running++;
  }

  /** An environment of `key` began its Init (a cold start). */
  starting(key: string): void {
    this.loadOf(key).starting++;
  }

  /** That Init ended, well or not. */
  startEnded(key: string): void {
    const load = this.loads.get(key);
    if (load) load.starting--;
  }

  /**
   * An invocation of `key` ended after `wallMs` (undefined: not a warm run, not sampled) in `env`,
   * an environment of `revisionId`. Waiters for another revision (the code or configuration changed
   * while they waited) go elsewhere now rather than hold up the queue; if `free()` says the
   * environment can take another invocation now, the first waiter gets it. Returns whether one did.
   */
  finished(key: string, wallMs: number | undefined, env: E, revisionId: string, free: () => boolean): boolean {
    const load = this.loads.get(key);
    if (!load) return false;
    load.running--;
    load.lastEndedAt = performance.now();
    if (wallMs !== undefined) this.sample(load, wallMs);
    if (load.waiters.length === 0) return false;
    const stale = load.waiters.filter((w) => w.revisionId !== revisionId);
    if (stale.length > 0) {
      load.waiters = load.waiters.filter((w) => w.revisionId === revisionId);
      for (const waiter of stale) this.dismiss(waiter);
    }
    const waiter = load.waiters[0];
    if (!waiter || !free()) return false;
    load.waiters.shift();
    clearTimeout(waiter.timer);
    waiter.take(env);
    return true;
  }

  /** Drops what is known of the versions `inScope` accepts (deleted). */
  forget(inScope: (key: string) => boolean): void {
    for (const [key, load] of this.loads) if (load.running === 0 && load.starting === 0 && load.waiters.length === 0 && inScope(key)) this.loads.delete(key);
  }

  /** Sends every waiter elsewhere now (engine closing). */
  releaseAll(): void {
    for (const load of this.loads.values()) {
      for (const waiter of load.waiters.splice(0)) this.dismiss(waiter);
    }
  }

  private dismiss(waiter: Waiter<E>): void {
    clearTimeout(waiter.timer);
    waiter.take(null);
  }

  private sample(load: VersionLoad<E>, wallMs: number): void {
    const now = performance.now();
    if (now - load.windowStartedAt >= MIN_WINDOW_MS) {
      load.previousShortestMs = load.shortestMs;
      load.shortestMs = Infinity;
      load.windowStartedAt = now;
    }
    if (wallMs < load.shortestMs) load.shortestMs = wallMs;
  }

  private loadOf(key: string): VersionLoad<E> {
    let load = this.loads.get(key);
    if (!load) {
      load = { running: 0, starting: 0, shortestMs: Infinity, previousShortestMs: Infinity, windowStartedAt: performance.now(), short: false, lastEndedAt: 0, waiters: [] };
      this.loads.set(key, load);
    }
    return load;
  }
}

/** How many environments of this size the host's CPUs can run at full share at once (at least one). */
export function hotLimit(cpus: number, memoryMb: number): number {
  return Math.max(1, Math.round(cpus / (memoryMb / MB_PER_VCPU)));
}
