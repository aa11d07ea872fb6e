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
