// CPU time of this process and of the processes below it, read from /proc: where the CPU of a
// load goes (server, function environments, client), robust to the wall-clock noise of a shared box.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports utime/stime in USER_HZ ticks, 100 a second on every mainstream kernel. */
const MS_PER_TICK = 10;

interface ProcStat {
  ppid: number;
  cpuMs: number;
}

function readStats(): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which may itself hold spaces and parentheses.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK });
    } catch {
      // the process ended meanwhile
    }
  }
  return stats;
}

export interface CpuSnapshot {
  /** The root process (the server, in the bench). */
  rootMs: number;
  /** Every descendant except the excluded ones (and theirs): the function environments. */
  descendantsMs: number;
}

/** CPU so far of `root` and of its descendants outside `exclude`. Linux only; zeros elsewhere. */
export function cpuSnapshot(root: number, exclude: ReadonlySet<number> = new Set()): CpuSnapshot {
  if (process.platform !== 'linux') return { rootMs: 0, descendantsMs: 0 };
  const stats = readStats();
  const under = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (exclude.has(p)) return false;
      const parent = stats.get(p)?.ppid ?? 0;
      if (parent === root) return true;
      p = parent;
    }
    return false;
  };
  let descendantsMs = 0;
  for (const [pid, stat] of stats) if (pid !== root && under(pid)) descendantsMs += stat.cpuMs;
  return { rootMs: stats.get(root)?.cpuMs ?? 0, descendantsMs };
}
