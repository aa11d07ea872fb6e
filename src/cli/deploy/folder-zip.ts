import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import AdmZip from 'adm-zip';

export interface ZippedArtifact {
  bytes: Buffer;
  /** SHA-256 of the content (names, modes and bytes), so an unchanged folder keeps its S3 key. */
  contentHash: string;
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() || entry.isSymbolicLink()) out.push(full);
    }
  };
  await walk(root);
  return out;
}

/**
 * A folder as a zip, the way `aws cloudformation package` uploads a CodeUri folder: every file,
 * paths relative to the folder, executable bits kept (a `bootstrap` must stay executable).
 */
export async function zipFolder(folder: string): Promise<ZippedArtifact> {
  const zip = new AdmZip();
  const hash = createHash('sha256');
  for (const file of await filesUnder(folder)) {
    const name = path.relative(folder, file).split(path.sep).join('/');
    const data = await readFile(file);
    const mode = (await stat(file)).mode & 0o777;
    zip.addFile(name, data, '', mode);
    hash.update(`${name}\0${mode}\0${data.length}\0`).update(data);
  }
  return { bytes: zip.toBuffer(), contentHash: hash.digest('hex') };
}

/** A file uploaded as it is (a zip or jar already built, an OpenAPI document). */
export async function fileArtifact(file: string): Promise<ZippedArtifact> {
  const bytes = await readFile(file);
  return { bytes, contentHash: createHash('sha256').update(bytes).digest('hex') };
}
