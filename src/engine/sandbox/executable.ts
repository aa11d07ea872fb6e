import { stat } from 'node:fs/promises';
import path from 'node:path';

/** Whether `file` is a regular file someone may execute (a custom runtime's `bootstrap`). */
export async function isExecutable(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    return info.isFile() && (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH, then in the system directories (a server started with a bare PATH). */
export async function which(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    if (dir && (await isExecutable(path.join(dir, name)))) return path.join(dir, name);
  }
  for (const dir of ['/usr/bin', '/usr/sbin', '/bin']) if (await isExecutable(path.join(dir, name))) return path.join(dir, name);
  return null;
}
