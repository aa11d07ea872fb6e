import { stat } from 'node:fs/promises';

/** Whether `file` is a regular file someone may execute (a custom runtime's `bootstrap`). */
export async function isExecutable(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    return info.isFile() && (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
