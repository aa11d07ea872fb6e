import AdmZip from 'adm-zip';
import { createHash } from 'node:crypto';
import { linkProblem, zipLinks } from '../../engine/zip-links.js';
import { errors } from './errors.js';
import { UNZIPPED_MAX_BYTES, ZIP_MAX_BYTES_DIRECT } from './limits.js';

export interface CodePackage {
  bytes: Buffer;
  /** base64 SHA-256 of the zip bytes, as `CodeSha256` is reported. */
  sha256Base64: string;
  size: number;
  unzippedSize: number;
}

/** Decodes a base64 `ZipFile`, enforces AWS's size limits and checks it is a readable zip. */
export function readZipFile(base64: string): CodePackage {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > ZIP_MAX_BYTES_DIRECT) throw errors.zipTooLarge(ZIP_MAX_BYTES_DIRECT);
  return readZipBytes(bytes);
}

/** A zip already in hand (from S3): only the unzipped limit applies. */
export function readZipBytes(bytes: Buffer): CodePackage {
  let unzippedSize = 0;
  let zip: AdmZip;
  try {
    zip = new AdmZip(bytes);
    for (const entry of zip.getEntries()) unzippedSize += entry.header.size;
  } catch {
    throw errors.badZip();
  }
  // Links are kept as links (as AWS keeps them); one that escapes or shadows other entries makes the
  // package one Lambkin cannot unzip safely, refused as AWS refuses what it cannot unzip.
  if (linkProblem(zip, zipLinks(zip))) throw errors.badZip();
  if (unzippedSize > UNZIPPED_MAX_BYTES) throw errors.unzippedTooLarge(UNZIPPED_MAX_BYTES);
  return { bytes, sha256Base64: createHash('sha256').update(bytes).digest('base64'), size: bytes.length, unzippedSize };
}
