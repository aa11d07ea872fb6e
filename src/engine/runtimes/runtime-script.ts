import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A runtime client that tsc does not compile (`python/bootstrap.py`, `ruby/bootstrap.rb`): it is
 * read from `src/engine/runtimes/` under the package root, also when the engine runs from dist/.
 */
export function runtimeScriptPath(relative: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/src/engine/runtimes → package root is four levels up; src/engine/runtimes → three.
  if (here.split(path.sep).includes('dist')) return path.resolve(here, '../../../../src/engine/runtimes', relative);
  return path.resolve(here, relative);
}
