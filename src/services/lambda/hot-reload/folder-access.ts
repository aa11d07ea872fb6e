import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isLoopback } from '../../../contracts/loopback.js';
import { lambdaError } from '../errors.js';

/** Who may name a host folder as a function's code, and which folders. */
export interface HostFolderPolicy {
  /** Real paths of the folders code may come from (the folder itself or anything beneath). */
  roots: string[];
  /** Accept clients off loopback too. */
  fromRemote: boolean;
  /** Lambkin's data directory: its secrets and database are never function code. */
  dataDir: string;
}

/**
 * The folder `S3Key` names, resolved through links, once the caller and the path pass the policy:
 * Lambkin reads host paths for whoever asks, so a remote client could otherwise have any file the
 * server can read mounted into a function it then invokes.
 */
export async function checkHostFolder(policy: HostFolderPolicy | undefined, sourceIp: string, key: string): Promise<string> {
  if (!policy) throw refused('code from a host folder is not enabled on this server');
  if (!policy.fromRemote && !isLoopback(sourceIp)) {
    throw refused(`code from a host folder is accepted only from loopback clients (this request came from ${sourceIp}); set LAMBKIN_HOT_RELOAD_REMOTE=1 to accept it from others`);
  }
  if (!path.isAbsolute(key)) throw refused(`S3Key must be the absolute path of a folder on the Lambkin host: ${key}`);
  let real: string;
  try {
    real = await realpath(key);
  } catch {
    throw refused(`the folder ${key} does not exist on the Lambkin host`);
  }
  if (!(await stat(real)).isDirectory()) throw refused(`${key} is not a folder`);
  const roots = await Promise.all(policy.roots.map((root) => realpath(root).catch(() => root)));
  if (!roots.some((root) => within(real, root))) {
    throw refused(`the folder ${key} is outside the folders code may come from (${roots.join(', ')}); add its parent to LAMBKIN_HOT_RELOAD_ROOTS`);
  }
  const dataDir = await realpath(policy.dataDir).catch(() => policy.dataDir);
  if (within(real, dataDir) || within(dataDir, real)) throw refused(`the folder ${key} holds or lies in Lambkin's data directory`);
  return real;
}

function within(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function refused(message: string) {
  return lambdaError('InvalidParameterValueException', message);
}
