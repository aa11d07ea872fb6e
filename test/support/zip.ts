import AdmZip from 'adm-zip';

/** Builds a deployment package in memory from `{ path: contents }`. */
export function makeZip(files: Record<string, string>): Uint8Array {
  const zip = new AdmZip();
  for (const [name, contents] of Object.entries(files)) zip.addFile(name, Buffer.from(contents));
  return new Uint8Array(zip.toBuffer());
}

/** A package with symbolic links (`{ link: target }`), as `zip --symlinks` stores them. */
export function makeZipWithLinks(files: Record<string, string>, links: Record<string, string>): Uint8Array {
  const zip = new AdmZip();
  for (const [name, contents] of Object.entries(files)) zip.addFile(name, Buffer.from(contents));
  for (const [name, target] of Object.entries(links)) {
    zip.addFile(name, Buffer.from(target));
    // addFile always writes a regular file's type bits; the link type goes in afterwards.
    zip.getEntry(name)!.attr = (0o120777 << 16) >>> 0;
  }
  return new Uint8Array(zip.toBuffer());
}

export const NODE_HANDLER_ZIP = makeZip({ 'index.js': 'exports.handler = async (event) => ({ ok: true, event });\n' });
export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
