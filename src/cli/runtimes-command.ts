import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { CATALOG_RUNTIMES, RuntimeCatalog } from '../engine/runtimes/catalog.js';

/**
 * `lambkin runtimes`: every runtime id the engine knows, with the interpreter this host runs it
 * with, or `missing` (invokes of such functions fail with Runtime.InvalidEntrypoint).
 */
export async function runtimesCommand(out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const catalog = new RuntimeCatalog();
  const width = Math.max(...CATALOG_RUNTIMES.map((r) => r.length)) + 2;
  // Interpreter lookups spawn processes (version-manager shims are slow): run them side by side.
  const rows = await Promise.all(
    CATALOG_RUNTIMES.map(async (runtime) => {
      // The code directory only matters to custom runtimes, whose bootstrap comes with the package.
      const resolution = await catalog.resolve(runtime, tmpdir());
      if (!resolution.ok) return `${runtime.padEnd(width)}missing`;
      const { family, command } = resolution.launch;
      if (family === 'provided') return `${runtime.padEnd(width)}(the function's own bootstrap)`;
      const version = family === 'nodejs' ? `node ${process.versions.node}` : await pythonVersion(command);
      return `${runtime.padEnd(width)}${command}${version ? ` (${version})` : ''}`;
    }),
  );
  out.write(`${rows.join('\n')}\n`);
  return 0;
}

const run = promisify(execFile);

/** `python 3.11.7`: the catalog may fall back to `python3` when `python3.N` is not installed. */
async function pythonVersion(interpreter: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(interpreter, ['-c', 'import platform; print(platform.python_version())'], { timeout: 10_000 });
    return `python ${stdout.trim()}`;
  } catch {
    return undefined;
  }
}
