import { readFileSync } from 'node:fs';

/** How often the host's CPU counters are re-read at most; busy fractions are over this window or longer. */
const SAMPLE_EVERY_MS = 100;
/** Busy from this share of all CPU time… */
const BUSY_FROM = 0.7;
/** …until it falls below this one, so a host working at the edge does not flip every window. */
const BUSY_UNTIL = 0.4;

/**
 * Whether the host's CPUs have little to spare, from the kernel's counters (`/proc/stat`), read
 * lazily when asked and at most every 100 ms. Hosts without `/proc/stat` are never busy.
 */
export class HostCpu {
  private lastReadAt = -Infinity;
  private last: { busy: number; total: number } | null = null;
  private state = false;
  private readonly available: boolean;

  constructor(private readonly statPath = '/proc/stat') {
    this.available = readCounters(statPath) !== null;
  }

  busy(): boolean {
    if (!this.available) return false;
    const now = performance.now();
    if (now - this.lastReadAt >= SAMPLE_EVERY_MS) this.sample(now);
    return this.state;
  }

  private sample(now: number): void {
    const counters = readCounters(this.statPath);
    this.lastReadAt = now;
    if (!counters) return;
    if (this.last) {
      const total = counters.total - this.last.total;
      const fraction = total > 0 ? (counters.busy - this.last.busy) / total : 0;
      if (fraction >= BUSY_FROM) this.state = true;
      else if (fraction < BUSY_UNTIL) this.state = false;
    }
    this.last = counters;
  }
}

/** The aggregate `cpu` line: every field is time spent; idle and iowait are the not-busy ones. */
function readCounters(statPath: string): { busy: number; total: number } | null {
  let text: string;
  try {
    text = readFileSync(statPath, 'latin1');
  } catch {
    return null;
  }
  const line = text.slice(0, text.indexOf('\n'));
  if (!line.startsWith('cpu ')) return null;
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const fields = line.slice(4).trim().split(/\s+/).slice(0, 8).map(Number);
  if (fields.length < 5 || fields.some((n) => !Number.isFinite(n))) return null;
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}
