import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DOTNET_RUNTIMES, dotnetUnavailable } from './dotnet/launch.js';
import { findRealOnPath } from './host-binary.js';
import { RUBY_RUNTIMES, rubyLaunch } from './ruby/launch.js';
import type { RuntimeLaunch, RuntimeResolution } from './runtime-launch.js';

const run = promisify(execFile);

export type { RuntimeLaunch, RuntimeResolution } from './runtime-launch.js';

const NODE_RUNTIMES = /^nodejs(18|20|22|24)\.x$/;
const PYTHON_RUNTIMES = /^python3\.(9|1[0-4])$/;
const PROVIDED_RUNTIMES = /^provided(\.al2|\.al2023)?$/;

/** Every runtime id the patterns above accept, for listings (`lambkin runtimes`). */
export const CATALOG_RUNTIMES = [
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x',
  'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14',
  'ruby3.2', 'ruby3.3', 'ruby3.4',
  'dotnet8', 'dotnet10',
  'provided', 'provided.al2', 'provided.al2023',
] as const;

/** Runtime id → interpreter on this host. Interpreters are detected once and cached. */
export class RuntimeCatalog {
  private readonly pythons = new Map<string, Promise<string | null>>();
  private readonly hostBinaries = new Map<string, Promise<string | null>>();

  constructor(private readonly searchPath: string = process.env.PATH ?? '') {}

  async resolve(runtime: string | undefined, codeDir: string): Promise<RuntimeResolution> {
    if (!runtime) return { ok: false, reason: 'container image functions are not supported yet' };
    if (NODE_RUNTIMES.test(runtime)) {
      const bootstrap = fileURLToPath(new URL('./nodejs/bootstrap.js', import.meta.url));
      return {
        ok: true,
        launch: { family: 'nodejs', command: process.execPath, args: [bootstrap], executionEnv: `AWS_Lambda_${runtime}`, needs: [process.execPath, bootstrap] },
      };
    }
    if (PYTHON_RUNTIMES.test(runtime)) {
      const python = await this.python(runtime);
      if (!python) return { ok: false, reason: `no ${runtime} or python3 interpreter was found on PATH` };
      const bootstrap = pythonBootstrapPath();
      return {
        ok: true,
        launch: { family: 'python', command: python, args: ['-u', bootstrap], executionEnv: `AWS_Lambda_${runtime}`, needs: [python, bootstrap] },
      };
    }
    if (RUBY_RUNTIMES.test(runtime)) return rubyLaunch(runtime, await this.hostBinary('ruby'));
    if (DOTNET_RUNTIMES.test(runtime)) return dotnetUnavailable(runtime, await this.hostBinary('dotnet'));
    if (PROVIDED_RUNTIMES.test(runtime)) {
      const bootstrap = path.join(codeDir, 'bootstrap');
      return { ok: true, launch: { family: 'provided', command: bootstrap, args: [], needs: [bootstrap] } };
    }
    return { ok: false, reason: `the ${runtime} runtime is not available in this Lambkin build` };
  }

  /**
   * Other interpreters that could run `launch`, for when the unprivileged user cannot reach the
   * first choice (pyenv under root's 0700 home): the system's `python3.N` and `python3`. Node runs
   * on the server's own binary and has none.
   */
  async alternatives(launch: RuntimeLaunch, runtime: string): Promise<RuntimeLaunch[]> {
    if (launch.family !== 'python') return [];
    const out: RuntimeLaunch[] = [];
    for (const candidate of [`/usr/bin/${runtime}`, '/usr/bin/python3', `/usr/local/bin/${runtime}`, '/usr/local/bin/python3']) {
      let real: string;
      try {
        await access(candidate, constants.X_OK);
        real = await realpath(candidate);
      } catch {
        continue;
      }
      if (real === launch.command || out.some((l) => l.command === real)) continue;
      out.push({ ...launch, command: real, needs: [real, ...launch.needs.slice(1)] });
    }
    return out;
  }

  /** `python3.N` if present, else `python3`; resolved to the real binary so version-manager shims are skipped. */
  private python(runtime: string): Promise<string | null> {
    let found = this.pythons.get(runtime);
    if (!found) {
      found = (async () => {
        for (const name of [runtime, 'python3']) {
          const candidate = await this.onPath(name);
          if (!candidate) continue;
          try {
            const { stdout } = await run(candidate, ['-c', 'import sys; print(sys.executable)'], { timeout: 10_000 });
            const real = stdout.trim();
            if (real) return real;
          } catch {
            // a broken shim: try the next name
          }
        }
        return null;
      })();
      this.pythons.set(runtime, found);
    }
    return found;
  }

  /** A host program by name, resolved to its real file once per catalog. */
  private hostBinary(name: string): Promise<string | null> {
    let found = this.hostBinaries.get(name);
    if (!found) {
      found = findRealOnPath(name, this.searchPath);
      this.hostBinaries.set(name, found);
    }
    return found;
  }

  private async onPath(name: string): Promise<string | null> {
    for (const dir of this.searchPath.split(path.delimiter)) {
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
}

let pythonBootstrap: string | undefined;

/** bootstrap.py is not compiled by tsc, so it is read from `src/` under the package root. */
function pythonBootstrapPath(): string {
  if (!pythonBootstrap) {
    const here = path.dirname(fileURLToPath(import.meta.url));
    // dist/src/engine/runtimes → package root is four levels up; src/engine/runtimes → three.
    const fromDist = path.resolve(here, '../../../../src/engine/runtimes/python/bootstrap.py');
    const fromSrc = path.resolve(here, 'python/bootstrap.py');
    pythonBootstrap = here.split(path.sep).includes('dist') ? fromDist : fromSrc;
  }
  return pythonBootstrap;
}
