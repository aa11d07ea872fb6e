import { tmpdir } from 'node:os';
import path from 'node:path';
import { CATALOG_RUNTIMES, RuntimeCatalog } from '../engine/runtimes/catalog.js';
import { interpreterVersion } from '../engine/runtimes/host-binary.js';

/**
 * `lambkin runtimes`: every runtime id the engine knows and whether it runs on this host — the
 * interpreter it runs on and that interpreter's version (`python3.12 → /usr/bin/python3.11
 * (3.11.2)`), or what is missing (invokes of such functions fail at Init saying the same). A Node
 * major not installed yet shows the host's Node that stands in until its first use installs it.
 */
export async function runtimesCommand(nodeRuntimesDir: string, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  // Java runtimes need the runtime client compiled (once per JDK; the server keeps its own in the data directory).
  const catalog = new RuntimeCatalog(undefined, path.join(tmpdir(), `lambkin-java-runtime-${process.getuid?.() ?? 0}`), { root: nodeRuntimesDir, install: false });
  const width = Math.max(...CATALOG_RUNTIMES.map((r) => r.length)) + 1;
  // Interpreter lookups spawn processes (version-manager shims are slow): run them side by side.
  const rows = await Promise.all(
    CATALOG_RUNTIMES.map(async (runtime) => {
      // The code directory only matters to custom runtimes, whose bootstrap comes with the package.
      const resolution = await catalog.resolve(runtime, tmpdir());
      if (!resolution.ok) return `${runtime.padEnd(width)}missing: ${resolution.reason}`;
      const { family, command } = resolution.launch;
      if (family === 'provided') return `${runtime.padEnd(width)}→ the function's own bootstrap (any language)`;
      const version = resolution.launch.version ?? (await interpreterVersion(command));
      let row = `${runtime.padEnd(width)}→ ${command}${version ? ` (${version})` : ''}`;
      if (resolution.launch.warning) row += ` ${resolution.launch.warning}`;
      else if (resolution.launch.notInstalled) row += ` until ${nodeMajorName(runtime)} is installed: on first use, or 'lambkin runtimes install ${runtime}'`;
      return row;
    }),
  );
  out.write(`${rows.join('\n')}\n`);
  return 0;
}

const nodeMajorName = (runtime: string) => `Node ${/\d+/.exec(runtime)?.[0] ?? ''}`;
