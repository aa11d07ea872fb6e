/**
 * A function or layer whose code is a folder on the Lambkin host (`Code: {S3Bucket: "hot-reload",
 * S3Key: "/abs/path"}`, the convention local tooling uses): stored where a .zip keeps its package's
 * hash, as `folder:` and the folder's absolute path, so versions, invokes and sandboxes carry it.
 */
export const HOT_RELOAD_BUCKET = 'hot-reload';

const PREFIX = 'folder:';

export function encodeFolderCode(folder: string): string {
  return PREFIX + folder;
}

/** The host folder of a stored code reference; null for a .zip hash or an image. */
export function decodeFolderCode(stored: string | null): string | null {
  return stored?.startsWith(PREFIX) ? stored.slice(PREFIX.length) : null;
}
