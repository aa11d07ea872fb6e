import path from 'node:path';
import type AdmZip from 'adm-zip';

/** A symbolic link stored in a zip: its path in the package and where it points. */
export interface ZipLink {
  entryName: string;
  target: string;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Where links may point besides inside the package: the function's own view of Lambda's filesystem. */
const LAMBDA_PATHS = ['/var/task', '/opt', '/tmp'];

/** Zip entries made by `zip --symlinks` (Unix mode S_IFLNK in the external attributes; the data is the target). */
export function zipLinks(zip: AdmZip): ZipLink[] {
  const links: ZipLink[] = [];
  for (const entry of zip.getEntries()) {
    const mode = (entry.header.attr >>> 16) & 0xffff;
    if ((mode & S_IFMT) === S_IFLNK) links.push({ entryName: entry.entryName.replace(/\/+$/, ''), target: entry.getData().toString('utf8') });
  }
  return links;
}

/**
 * Why a package's links cannot be kept, or null when they can: a link must point inside the
 * package (or into /var/task, /opt, /tmp as the function sees them), and no other entry may sit
 * beneath a link (extracting it would write through the link, wherever it points).
 */
export function linkProblem(zip: AdmZip, links: ZipLink[]): string | null {
  if (links.length === 0) return null;
  const linkPaths = new Set(links.map((l) => l.entryName));
  for (const link of links) {
    if (!pointsInside(link)) return `the symbolic link ${link.entryName} points outside the package (${link.target})`;
  }
  for (const entry of zip.getEntries()) {
    const parts = entry.entryName.replace(/\/+$/, '').split('/');
    for (let i = 1; i < parts.length; i++) {
      const above = parts.slice(0, i).join('/');
      if (linkPaths.has(above)) return `${entry.entryName} lies beneath the symbolic link ${above}`;
    }
  }
  return null;
}

function pointsInside(link: ZipLink): boolean {
  if (link.target === '' || link.target.includes('\0')) return false;
  if (path.posix.isAbsolute(link.target)) {
    const target = path.posix.normalize(link.target);
    return LAMBDA_PATHS.some((root) => target === root || target.startsWith(`${root}/`));
  }
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(link.entryName), link.target));
  return resolved !== '..' && !resolved.startsWith('../');
}
