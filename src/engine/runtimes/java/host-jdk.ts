import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A JDK (or JRE) on this host: its `java`, its `javac` when it has one, and its feature version. */
export interface HostJdk {
  home: string;
  java: string;
  javac: string | null;
  /** 17 for "17.0.15". */
  feature: number;
  /** The full version string ("17.0.15"), part of the runtime client's cache key. */
  version: string;
}

const JVM_DIR = '/usr/lib/jvm';

/**
 * The JDK that runs `javaNN`: Debian's `/usr/lib/jvm/java-NN-*` when that exact version is
 * installed, else the `java` on PATH (which may be older or newer; the runtime reports a class
 * compiled for a newer Java with both versions named).
 */
export async function findHostJdk(feature: number, searchPath: string): Promise<HostJdk | null> {
  const exact = await exactJdk(feature);
  if (exact) return exact;
  const onPath = await which('java', searchPath);
  return onPath ? describeJdk(onPath) : null;
}

async function exactJdk(feature: number): Promise<HostJdk | null> {
  const names = await readdir(JVM_DIR).catch(() => [] as string[]);
  for (const name of names.sort()) {
    if (!name.startsWith(`java-${feature}-`)) continue;
    const jdk = await describeJdk(path.join(JVM_DIR, name, 'bin', 'java'));
    if (jdk?.feature === feature) return jdk;
  }
  return null;
}

async function describeJdk(javaPath: string): Promise<HostJdk | null> {
  let java: string;
  try {
    await access(javaPath, constants.X_OK);
    java = await realpath(javaPath);
  } catch {
    return null;
  }
  const home = path.dirname(path.dirname(java));
  const version = (await releaseVersion(home)) ?? (await reportedVersion(java));
  if (!version) return null;
  const javac = path.join(home, 'bin', 'javac');
  const hasJavac = await access(javac, constants.X_OK).then(() => true, () => false);
  return { home, java, javac: hasJavac ? javac : null, feature: featureOf(version), version };
}

/** JDKs since 9 describe themselves in `$JAVA_HOME/release`. */
async function releaseVersion(home: string): Promise<string | null> {
  const text = await readFile(path.join(home, 'release'), 'utf8').catch(() => '');
  return /^JAVA_VERSION="([^"]+)"/m.exec(text)?.[1] ?? null;
}

async function reportedVersion(java: string): Promise<string | null> {
  try {
    const { stderr } = await run(java, ['-version'], { timeout: 20_000 });
    return /version "([^"]+)"/.exec(stderr)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** "1.8.0_392" → 8, "17.0.15" → 17, "21" → 21. */
export function featureOf(version: string): number {
  const [first, second] = version.split(/[.+_-]/).map(Number);
  return first === 1 ? (second ?? 0) : (first ?? 0);
}

export async function which(name: string, searchPath: string): Promise<string | null> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return null;
}
