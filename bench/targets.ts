// The performance targets, each a ratio to a baseline measured in the same run (this machine's
// floor, ../shared/bench/floor.mjs, or the SDK against a canned stub), so any run can check them
// whatever the machine's speed or load.
import type { BenchResults } from './report.js';
import { round3 } from './stats.js';

export interface TargetCheck {
  measure: string;
  value: number;
  baseline: number | null;
  /** value ÷ baseline; null when the baseline was not measured. */
  ratio: number | null;
  /** `≤ 0.3` or `≥ 0.95`: the ratio the target asks for. */
  target: string;
  met: boolean | null;
}

function check(measure: string, value: number, baseline: number | null | undefined, op: '≤' | '≥', limit: number): TargetCheck {
  const ratio = baseline ? round3(value / baseline) : null;
  const met = ratio === null ? null : op === '≤' ? ratio <= limit : ratio >= limit;
  return { measure, value, baseline: baseline ?? null, ratio, target: `${op} ${limit}×`, met };
}

/** Every target the bench can check from a full run (the cost-growth ones: bench/growth-main.ts). */
export function targetChecks(r: BenchResults): TargetCheck[] {
  const f = r.floor;
  const checks = [
    check('Server CPU per warm sync invoke, 16 lean clients (ms) ÷ floor relay server CPU per request', r.warm.leanCpuMsPerInvoke.server, f?.relay_server_cpu_ms_per_req, '≤', 1.5),
    check('Warm overhead p50, SDK, over the interleaved stub (ms) ÷ floor relay p50', r.overheadOverSdkP50Ms, f?.relay_ms_p50, '≤', 1.0),
    check('Warm p99, SDK (ms) ÷ floor relay p99', r.warm.p99Ms, f?.relay_ms_p99, '≤', 1.5),
    check('SDK throughput, 16 clients (invokes/s) ÷ SDK → stub', r.warm.invokesPerSecond, r.sdkStub.invokesPerSecond, '≥', 0.95),
    check('Lean-client throughput, 16 clients (invokes/s) ÷ floor relay throughput', r.warm.leanInvokesPerSecond, f?.tput_per_s, '≥', 0.9),
    check('On-demand cold start, no-op Node (ms) ÷ `node -e 0`', r.cold.coldMedianMs, r.cold.bareSpawnMedianMs, '≤', 0.3),
    check('On-demand cold start, no-op Python (ms) ÷ `node -e 0`', r.cold.pythonColdMedianMs, r.cold.bareSpawnMedianMs, '≤', 0.3),
  ];
  const a = r.asyncInvoke;
  if (a && !('error' in a)) {
    const lost = check('Async durable enqueue, 16 lean clients, drain running (events/s) ÷ lean sync throughput', a.leanEnqueuePerSecond, r.warm.leanInvokesPerSecond, '≥', 1.5);
    // "0 lost": a refused or failed enqueue fails the target whatever the rate.
    if (a.leanFailed > 0) lost.met = false;
    checks.push(lost);
  }
  return checks;
}

export function targetRows(checks: TargetCheck[]): string[][] {
  return checks.map((c) => [c.measure, String(c.value), c.baseline === null ? '–' : String(c.baseline), c.ratio === null ? '–' : `${c.ratio}×`, c.target, c.met === null ? '–' : c.met ? 'met' : 'not met']);
}
