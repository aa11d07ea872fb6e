import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The first executable called `name` in the directories of `searchPath`, or null. */
export async function findOnPath(name: string, searchPath: string): Promise<string | null> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** `findOnPath` resolved through links (Debian's `/usr/bin/ruby` → `/usr/bin/ruby3.1`). */
export async function findRealOnPath(name: string, searchPath: string): Promise<string | null> {
  const found = await findOnPath(name, searchPath);
  if (!found) return null;
  try {
    return await realpath(found);
  } catch {
    return null;
  }
}

/**
 * The version an interpreter reports for `--version` (`Python 3.11.2`, `ruby 3.1.2p20 …`,
 * `openjdk 17.0.13 …`, `v20.19.0`): the first dotted number on its stdout or stderr.
 */
export async function interpreterVersion(command: string): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(command, ['--version'], { timeout: 10_000 });
    return /\d+\.\d+(?:\.\d+)?/.exec(`${stdout}\n${stderr}`)?.[0];
  } catch {
    return undefined;
  }
}
