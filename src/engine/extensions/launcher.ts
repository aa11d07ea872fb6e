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
 * AWS). The runtime keeps its pid, so the sandbox still waits for and signals it. A subshell waits
 * for each extension and writes `<index> <exit status>` to file descriptor 3 when it ends: an
 * extension that exits is a crash of the environment (`Extension.Crash`), as on AWS. Neither the
 * extensions nor the runtime keep descriptor 3.
 */
const LAUNCH =
  'n=$1; shift; i=0; while [ "$i" -lt "$n" ]; do ( "$1" </dev/null 3>&-; echo "$i $?" >&3 ) & shift; i=$((i + 1)); done; exec "$@" 3>&-';

/** The descriptor (in the spawned process's stdio) on which extension exits are reported. */
export const EXTENSION_EXITS_FD = 3;

export function launchWithExtensions(extensionPaths: string[], command: string, args: string[]): { command: string; args: string[]; reportsExtensionExits: boolean } {
  if (extensionPaths.length === 0) return { command, args, reportsExtensionExits: false };
  return {
    command: '/bin/sh',
    args: ['-c', LAUNCH, 'lambkin-extensions', String(extensionPaths.length), ...extensionPaths, command, ...args],
    reportsExtensionExits: true,
  };
}
