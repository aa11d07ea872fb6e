import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJsonChild } from './child.js';

/** What ../shared/bench/floor.mjs --json prints: this machine's floor with nothing but Node's http module. */
export interface FloorFigures {
  node: string;
  spawn_ms_p50: number;
  first_next_ms_p50: number;
  warm_ms_p50: number;
  warm_ms_p99: number;
  warm_seq_per_s: number;
  relay_ms_p50: number;
  relay_ms_p99: number;
  tput_per_s: number;
  envs: number;
  concurrency: number;
  /** CPU the relaying server (front + Runtime API) spent per request, ms (absent from older floor scripts). */
  relay_server_cpu_ms_per_req?: number;
}

/** The shared floor script lives beside the repository (…/shared/bench); absent elsewhere. */
export function floorScript(): string | null {
  const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
  const script = path.resolve(repoRoot, '../shared/bench/floor.mjs');
  return existsSync(script) ? script : null;
}

export async function measureFloor(concurrency: number): Promise<FloorFigures | null> {
  const script = floorScript();
  if (!script) return null;
  return runJsonChild<FloorFigures>([script, '--json', '--concurrency', String(concurrency)]);
}

/**
 * The floor as the mean of runs made at different moments of one bench run. This host's speed
 * drifts from minute to minute (the relay's own server CPU per request moved from 0.20 to 0.28 ms
 * between three runs of one session): runs made just before and just after the warm phase bracket
 * the phase the targets compare with them.
 */
export function meanFloor(runs: FloorFigures[]): FloorFigures | null {
  const [first] = runs;
  if (!first) return null;
  const mean = (pick: (f: FloorFigures) => number | undefined): number | undefined => {
    const values = runs.map(pick);
    if (values.some((v) => v === undefined)) return undefined;
    return Math.round((1000 * (values as number[]).reduce((a, b) => a + b, 0)) / values.length) / 1000;
  };
  const figures: FloorFigures = { ...first };
  for (const key of ['spawn_ms_p50', 'first_next_ms_p50', 'warm_ms_p50', 'warm_ms_p99', 'warm_seq_per_s', 'relay_ms_p50', 'relay_ms_p99', 'tput_per_s', 'relay_server_cpu_ms_per_req'] as const) {
    const value = mean((f) => f[key]);
    if (value !== undefined) figures[key] = key === 'tput_per_s' || key === 'warm_seq_per_s' ? Math.round(value) : value;
  }
  return figures;
}
