import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';

const run = promisify(execFile);

export const RUNTIME_JAR_NAME = 'lambkin-java-runtime.jar';
const MAIN_CLASS = 'lambkin.runtime.boot.Boot';
/** The client runs on any JVM from 17 on, whichever javac compiled it. */
const RELEASE = '17';

/**
 * Lambkin's Java runtime client as one jar: the boot class at the root (the JVM's class path sees
 * only it) and the client with its aws-lambda-java-core interfaces under client/, which the boot
 * class puts after the function's own classes. Compiled with the host's javac on first use into
 * `<cacheRoot>/<hash of the sources and the JDK version>/`, so an upgrade of either recompiles.
 */
export async function runtimeJar(cacheRoot: string, javac: string, jdkVersion: string): Promise<string> {
  const sourceRoot = javaSourceRoot();
  const sources = await javaFiles(sourceRoot);
  const hash = createHash('sha256').update(`${jdkVersion}\0${RELEASE}\0`);
  for (const file of sources) hash.update(`${path.relative(sourceRoot, file)}\0`).update(await readFile(file)).update('\0');
  const dir = path.join(cacheRoot, hash.digest('hex').slice(0, 16));
  const jar = path.join(dir, RUNTIME_JAR_NAME);
  if (await stat(jar).then(() => true, () => false)) return jar;

  await mkdir(cacheRoot, { recursive: true, mode: 0o755 });
  const work = await mkdtemp(path.join(cacheRoot, '.build-'));
  try {
    const out = { boot: path.join(work, 'boot'), client: path.join(work, 'client') };
    for (const part of ['client', 'boot'] as const) {
      const files = sources.filter((f) => f.startsWith(path.join(sourceRoot, part) + path.sep));
      await run(javac, ['--release', RELEASE, '-nowarn', '-encoding', 'UTF-8', '-d', out[part], ...files], { timeout: 120_000 }).catch((err: { stderr?: string; message: string }) => {
        throw new Error(`javac could not compile Lambkin's Java runtime client: ${err.stderr?.trim() || err.message}`);
      });
    }
    const zip = new AdmZip();
    zip.addFile('META-INF/MANIFEST.MF', Buffer.from(`Manifest-Version: 1.0\r\nMain-Class: ${MAIN_CLASS}\r\nCreated-By: Lambkin\r\n\r\n`));
    for (const file of await classFiles(out.boot)) zip.addFile(path.relative(out.boot, file).split(path.sep).join('/'), await readFile(file));
    for (const file of await classFiles(out.client)) zip.addFile(`client/${path.relative(out.client, file).split(path.sep).join('/')}`, await readFile(file));
    const staged = path.join(work, RUNTIME_JAR_NAME);
    await writeFile(staged, zip.toBuffer(), { mode: 0o644 });
    // Readable by the unprivileged user a plain process runs as; published with one rename.
    await chmod(work, 0o755);
    await rm(out.boot, { recursive: true, force: true });
    await rm(out.client, { recursive: true, force: true });
    await rename(work, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another server (or an earlier call) published the same build first.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      await rm(work, { recursive: true, force: true });
    });
    return jar;
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

async function javaFiles(dir: string): Promise<string[]> {
  return (await walk(dir)).filter((f) => f.endsWith('.java')).sort();
}

async function classFiles(dir: string): Promise<string[]> {
  return (await walk(dir)).filter((f) => f.endsWith('.class')).sort();
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out;
}

/** The .java sources are not compiled by tsc, so they are read from `src/` under the package root. */
function javaSourceRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/src/engine/runtimes/java → package root is five levels up.
  return here.split(path.sep).includes('dist') ? path.resolve(here, '../../../../../src/engine/runtimes/java') : here;
}
