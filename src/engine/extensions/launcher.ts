import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * External extensions: the executable files directly in the layers' `extensions/` directory
 * (`/opt/extensions`), in name order. `optDir` is the host path of the merged layers.
 */
export async function externalExtensions(optDir: string | null): Promise<string[]> {
  if (!optDir) return [];
  const dir = path.join(optDir, 'extensions');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names.sort()) {
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (info?.isFile() && (info.mode & 0o111) !== 0) found.push(name);
  }
  return found;
}

/**
 * Runs the extensions in the background, then execs the runtime: all share the runtime's sandbox,
 * cgroup, environment variables and output pipes (their lines land in the function's log, as on
 * AWS). The runtime keeps its pid, so the sandbox still waits for and signals it.
 */
const LAUNCH = 'n=$1; shift; while [ "$n" -gt 0 ]; do "$1" </dev/null & shift; n=$((n - 1)); done; exec "$@"';

export function launchWithExtensions(extensionPaths: string[], command: string, args: string[]): { command: string; args: string[] } {
  if (extensionPaths.length === 0) return { command, args };
  return { command: '/bin/sh', args: ['-c', LAUNCH, 'lambkin-extensions', String(extensionPaths.length), ...extensionPaths, command, ...args] };
}
