import { stat } from 'node:fs/promises';

/** Whether something is at `file` (any error reading it counts as nothing there). */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
