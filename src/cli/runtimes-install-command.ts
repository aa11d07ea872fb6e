import path from 'node:path';
import { installNode, type InstallOptions } from '../engine/runtimes/nodejs/node-install.js';
import { nodeRuntimeMajor } from '../engine/runtimes/nodejs/node-package.js';
import { ProgressBar } from './progress-bar.js';

const HOST_MAJOR = Number(process.versions.node.split('.')[0]);

/**
 * `lambkin runtimes install nodejs24.x …`: installs (or updates to) the newest release of each
 * runtime's Node major from the npm registry the host's npm is configured for, as the server does
 * on first use. Only Node runtimes are installed by Lambkin; the others run on host interpreters.
 * `--headers` keeps each release's C/C++ headers too, for building native addons against it.
 */
export async function runtimesInstallCommand(
  runtimes: string[],
  nodeRuntimesDir: string,
  options: InstallOptions = {},
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  if (runtimes.length === 0) {
    err.write('usage: lambkin runtimes install <runtime>… (e.g. nodejs24.x)\n');
    return 2;
  }
  const unknown = runtimes.filter((r) => !/^nodejs(18|20|22|24)\.x$/.test(r));
  if (unknown.length > 0) {
    err.write(`lambkin: only Node.js runtimes are installed by Lambkin (nodejs18.x, nodejs20.x, nodejs22.x, nodejs24.x); ${unknown.join(', ')} run on the host's interpreters (see 'lambkin runtimes')\n`);
    return 2;
  }
  let failed = 0;
  for (const runtime of runtimes) {
    const major = nodeRuntimeMajor(runtime)!;
    if (major === HOST_MAJOR) {
      out.write(`${runtime}: runs on the Node that runs Lambkin (${process.execPath}, ${process.versions.node}); nothing to install\n`);
      continue;
    }
    let bar: ProgressBar | null = null;
    let lastBytes = 0;
    let totalBytes: number | null = null;
    try {
      const installed = await installNode(nodeRuntimesDir, major, {
        resolved: (release) => {
          out.write(`${runtime}: newest Node ${major} in the npm registry is ${release.version} (${release.name}@${release.version})\n`);
          // Only the bar's scale: npm itself downloads (with its proxy and auth settings), so a failure here costs nothing.
          if (ProgressBar.enabled(out)) void tarballSize(release.tarball).then((size) => { totalBytes = size; if (bar) bar.totalBytes = size; });
        },
        downloaded: (bytes) => {
          lastBytes = bytes;
          if (!bar && ProgressBar.enabled(out)) bar = new ProgressBar(out, `downloading ${runtime}`, totalBytes);
          bar?.update(bytes);
        },
      }, options);
      (bar as ProgressBar | null)?.finish(lastBytes);
      out.write(
        installed.fresh === false
          ? `${runtime}: Node ${installed.version} is already installed at ${installed.node}\n`
          : `${runtime}: installed Node ${installed.version} at ${installed.node} (integrity ${installed.integrity} verified)\n`,
      );
      if (options.headers) {
        const prefix = path.dirname(path.dirname(installed.node));
        out.write(`${runtime}: headers for native addons in ${path.join(prefix, 'include', 'node')} (npm_config_nodedir=${prefix})\n`);
      }
    } catch (e) {
      (bar as ProgressBar | null)?.finish(lastBytes);
      err.write(`lambkin: ${runtime}: ${(e as Error).message}\n`);
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}

async function tarballSize(url: string): Promise<number | null> {
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    const length = Number(response.headers.get('content-length'));
    return response.ok && length > 0 ? length : null;
  } catch {
    return null;
  }
}
