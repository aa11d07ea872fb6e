import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DOTNET_RUNTIMES, dotnetUnavailable } from './dotnet/launch.js';
import { findOnPath, findRealOnPath } from './host-binary.js';
import { findHostJdk, type HostJdk } from './java/host-jdk.js';
import { jvmOptions } from './java/jvm-options.js';
import { runtimeJar } from './java/runtime-jar.js';
import { NodeInterpreters } from './nodejs/node-interpreters.js';
import { RUBY_RUNTIMES, rubyLaunch } from './ruby/launch.js';
import type { RuntimeLaunch, RuntimeResolution } from './runtime-launch.js';

const run = promisify(execFile);

export type { RuntimeLaunch, RuntimeResolution } from './runtime-launch.js';

/** What a launch may depend on besides the runtime id (the JVM's flags come from both). */
export interface FunctionSettings {
  memoryMb: number;
  variables?: Record<string, string>;
}

const NODE_RUNTIMES = /^nodejs(18|20|22|24)\.x$/;
const PYTHON_RUNTIMES = /^python3\.(9|1[0-4])$/;
const PROVIDED_RUNTIMES = /^provided(\.al2|\.al2023)?$/;
const JAVA_RUNTIMES = /^java(17|21|25)$/;
const JDK_PACKAGE = 'openjdk-17-jdk-headless';

/** Every runtime id the patterns above accept, for listings (`lambkin runtimes`). */
export const CATALOG_RUNTIMES = [
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x',
  'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14',
  'ruby3.2', 'ruby3.3', 'ruby3.4',
  'dotnet8', 'dotnet10',
  'provided', 'provided.al2', 'provided.al2023',
  'java17', 'java21', 'java25',
] as const;

/** Runtime id → interpreter on this host. Interpreters are detected once and cached. */
export class RuntimeCatalog {
  private readonly pythons = new Map<string, Promise<string | null>>();
  private readonly hostBinaries = new Map<string, Promise<string | null>>();
  private readonly jdks = new Map<number, Promise<HostJdk | null>>();
  private readonly javaClients = new Map<string, Promise<string>>();

  private readonly node: NodeInterpreters;

  /**
   * `javaCacheDir` holds the compiled Java runtime client (none given: Java runtimes are unavailable);
   * `nodeReleases.root` the Node releases installed for nodejsNN.x, installed on first use when `install`.
   */
  constructor(
    private readonly searchPath: string = process.env.PATH ?? '',
    private readonly javaCacheDir: string | null = null,
    private readonly nodeReleases: { root: string | null; install: boolean } = { root: null, install: false },
  ) {
    this.node = new NodeInterpreters(nodeReleases.root);
  }

  async resolve(runtime: string | undefined, codeDir: string, settings: FunctionSettings = { memoryMb: 128 }): Promise<RuntimeResolution> {
    if (!runtime) return { ok: false, reason: 'the function names no runtime (a container image function runs its image instead)' };
    if (NODE_RUNTIMES.test(runtime)) {
      const bootstrap = fileURLToPath(new URL('./nodejs/bootstrap.js', import.meta.url));
      const node = await this.node.resolve(runtime, { install: this.nodeReleases.install });
      return {
        ok: true,
        launch: {
          family: 'nodejs', command: node.command, args: [bootstrap], executionEnv: `AWS_Lambda_${runtime}`, needs: [node.command, bootstrap],
          version: node.version, ...(node.warning ? { warning: node.warning } : {}), ...(node.notInstalled ? { notInstalled: true } : {}),
        },
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
    const java = JAVA_RUNTIMES.exec(runtime);
    if (java) return this.java(runtime, Number(java[1]), settings);
    if (PROVIDED_RUNTIMES.test(runtime)) {
      const bootstrap = path.join(codeDir, 'bootstrap');
      return { ok: true, launch: { family: 'provided', command: bootstrap, args: [], needs: [bootstrap] } };
    }
    return { ok: false, reason: `the ${runtime} runtime is not available in this Lambkin build` };
  }

  /** Readies what a runtime needs ahead of its first Init (a Node major is downloaded), when this catalog installs. */
  prepare(runtime: string): void {
    if (NODE_RUNTIMES.test(runtime) && this.nodeReleases.install) this.node.prefetch(runtime);
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

  /**
   * The host's JDK for javaNN (its exact version when installed, else the default `java`) running
   * Lambkin's runtime client jar, which its `javac` compiles on first use.
   */
  private async java(runtime: string, feature: number, settings: FunctionSettings): Promise<RuntimeResolution> {
    let found = this.jdks.get(feature);
    if (!found) {
      found = findHostJdk(feature, this.searchPath);
      this.jdks.set(feature, found);
    }
    const jdk = await found;
    if (!jdk) return { ok: false, reason: `no Java runtime was found for ${runtime}: install a JDK (Debian package ${JDK_PACKAGE})` };
    if (jdk.feature < 17) return { ok: false, reason: `${runtime} needs Java 17 or newer; this host's ${jdk.java} is Java ${jdk.version}` };
    const javac = jdk.javac ?? (await this.onPath('javac'));
    if (!javac) return { ok: false, reason: `${runtime} needs javac to compile Lambkin's Java runtime client, and this host has none: install a JDK (Debian package ${JDK_PACKAGE})` };
    if (!this.javaCacheDir) return { ok: false, reason: `the ${runtime} runtime is not available in this Lambkin build` };
    const key = `${javac}\0${jdk.version}`;
    let client = this.javaClients.get(key);
    if (!client) {
      client = runtimeJar(this.javaCacheDir, javac, jdk.version);
      // A failed build is not remembered: the next invoke tries again.
      client.catch(() => this.javaClients.delete(key));
      this.javaClients.set(key, client);
    }
    let jar: string;
    try {
      jar = await client;
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
    const flags = jvmOptions(settings.memoryMb, settings.variables?.JAVA_TOOL_OPTIONS);
    return {
      ok: true,
      // The jar is the last argument: the sandbox mounts it at /var/runtime like the other runtime clients.
      launch: { family: 'java', command: jdk.java, args: [...flags, '-jar', jar], executionEnv: `AWS_Lambda_${runtime}`, needs: [jdk.java, jar] },
    };
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

  private onPath(name: string): Promise<string | null> {
    return findOnPath(name, this.searchPath);
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
