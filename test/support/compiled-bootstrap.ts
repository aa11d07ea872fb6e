import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';

const run = promisify(execFile);
const SOURCES = new URL('../../../test/fixtures/custom-runtimes/', import.meta.url).pathname;

export interface Compiler {
  /** The tool on PATH, and the Debian package a skip message names when it is absent. */
  tool: string;
  debianPackage: string;
  source: string;
  build(source: string, out: string, scratch: string): Promise<unknown>;
}

export const GO: Compiler = {
  tool: 'go',
  debianPackage: 'golang-go',
  source: 'bootstrap.go',
  // Static (no cgo), with its own build cache beside the output, so nothing lands in $HOME.
  build: (source, out, scratch) =>
    run('go', ['build', '-trimpath', '-o', out, source], {
      env: { ...process.env, CGO_ENABLED: '0', GOCACHE: path.join(scratch, 'go-cache'), GOPATH: path.join(scratch, 'go-path'), GOFLAGS: '' },
      timeout: 300_000,
    }),
};

export const RUST: Compiler = {
  tool: 'rustc',
  debianPackage: 'rustc',
  source: 'bootstrap.rs',
  build: (source, out) => run('rustc', ['-O', '--edition', '2021', '-C', 'strip=symbols', '-o', out, source], { timeout: 300_000 }),
};

/** Why `compiler` cannot run on this host, for a test's skip message; false when it can. */
export function compilerMissing(compiler: Compiler): string | false {
  const probe = spawnSync(compiler.tool, compiler.tool === 'go' ? ['version'] : ['--version']);
  return probe.status === 0 ? false : `${compiler.tool} is not installed (Debian package ${compiler.debianPackage})`;
}

/**
 * The compiled bootstrap, built once per source text: cached under the OS temp directory by the
 * source's hash, so a rerun of the suite compiles nothing.
 */
export async function compiledBootstrap(compiler: Compiler): Promise<Buffer> {
  const sourcePath = path.join(SOURCES, compiler.source);
  const hash = createHash('sha256').update(compiler.tool).update(readFileSync(sourcePath)).digest('hex').slice(0, 16);
  const dir = path.join(tmpdir(), 'lambkin-test-bootstraps', `${compiler.tool}-${hash}`);
  const binary = path.join(dir, 'bootstrap');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${binary}.${process.pid}`;
    await compiler.build(sourcePath, partial, path.dirname(dir));
    renameSync(partial, binary);
  }
  return readFileSync(binary);
}

/** A deployment package holding `bootstrap` as an executable. */
export function bootstrapZip(binary: Buffer): Uint8Array {
  const zip = new AdmZip();
  zip.addFile('bootstrap', binary);
  zip.getEntry('bootstrap')!.header.attr = (0o100755 * 0x10000) >>> 0;
  return new Uint8Array(zip.toBuffer());
}
