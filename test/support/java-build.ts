import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';

/** Lambkin's source-compatible aws-lambda-java-core interfaces, which test functions compile against. */
export const JAVA_INTERFACES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/engine/runtimes/java/client');

export const javacAvailable = (() => {
  try {
    execFileSync('javac', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export function writeSources(dir: string, files: Record<string, string>): string[] {
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  });
}

/** Every `.java` file under `dir`. */
export function javaFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.java')).map((name) => path.join(dir, name));
}

export function compile(out: string, classpath: string[], files: string[]): void {
  execFileSync('javac', ['--release', '17', '-implicit:none', '-d', out, '-cp', classpath.join(':'), ...files], { stdio: 'pipe' });
}

/** Every file under `dir` into a zip, at `prefix` + its relative path. */
export function addTree(zip: AdmZip, dir: string, prefix = ''): void {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) addTree(zip, full, `${prefix}${name}/`);
    else zip.addFile(`${prefix}${name}`, readFileSync(full));
  }
}

export function jarOf(dir: string): Buffer {
  const zip = new AdmZip();
  zip.addFile('META-INF/MANIFEST.MF', Buffer.from('Manifest-Version: 1.0\r\n\r\n'));
  addTree(zip, dir);
  return zip.toBuffer();
}
