import { tmpdir } from 'node:os';
import path from 'node:path';
import { CATALOG_RUNTIMES, RuntimeCatalog } from '../engine/runtimes/catalog.js';
import { interpreterVersion } from '../engine/runtimes/host-binary.js';

/**
 * `lambkin runtimes`: every runtime id the engine knows and whether it runs on this host — the
 * interpreter it runs on and that interpreter's version (`python3.12 → /usr/bin/python3.11
 * (3.11.2)`), or what is missing (invokes of such functions fail at Init saying the same).
 */
export async function runtimesCommand(out: NodeJS.WritableStream = process.stdout): Promise<number> {
  // Java runtimes need the runtime client compiled (once per JDK; the server keeps its own in the data directory).
  const catalog = new RuntimeCatalog(undefined, path.join(tmpdir(), `lambkin-java-runtime-${process.getuid?.() ?? 0}`));
  const width = Math.max(...CATALOG_RUNTIMES.map((r) => r.length)) + 1;
  // Interpreter lookups spawn processes (version-manager shims are slow): run them side by side.
  const rows = await Promise.all(
    CATALOG_RUNTIMES.map(async (runtime) => {
      // The code directory only matters to custom runtimes, whose bootstrap comes with the package.
      const resolution = await catalog.resolve(runtime, tmpdir());
      if (!resolution.ok) return `${runtime.padEnd(width)}missing: ${resolution.reason}`;
      const { family, command } = resolution.launch;
      if (family === 'provided') return `${runtime.padEnd(width)}→ the function's own bootstrap (any language)`;
      const version = command === process.execPath ? process.versions.node : await interpreterVersion(command);
      return `${runtime.padEnd(width)}→ ${command}${version ? ` (${version})` : ''}`;
    }),
  );
  out.write(`${rows.join('\n')}\n`);
  return 0;
}
