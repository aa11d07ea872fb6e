/** Wall-clock time in an IANA time zone, as epoch ms of the same calendar fields read as UTC. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether Node knows the zone (`America/New_York`, `UTC`, …). */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of instant `utcMs` in `zone` (seconds precision). */
export function toLocal(utcMs: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) + (utcMs % 1000 + 1000) % 1000;
}

/**
 * The instants whose wall-clock reading in `zone` is `localMs`, earliest first: none in a spring
 * gap, two in the hour a fall-back repeats. Offsets a day either side cover any transition.
 */
export function fromLocal(localMs: number, zone: string): number[] {
  const offsets = new Set([toLocal(localMs - 86_400_000, zone) - (localMs - 86_400_000), toLocal(localMs + 86_400_000, zone) - (localMs + 86_400_000)]);
  const out = [...offsets].map((o) => localMs - o).filter((u) => toLocal(u, zone) === localMs);
  return [...new Set(out)].sort((a, b) => a - b);
}
