import type { ImageRun } from '../../engine/image-run.js';
import type { FunctionConfiguration } from './model.js';

/**
 * A container image function's code as stored with each version, where a .zip function keeps its
 * package's SHA-256 (`code_sha256_hex`): `image:` and the image as resolved at create/update — the
 * URI the caller gave, the digest it resolved to, and what the image runs. Stored whole, so
 * versions, publishing and invokes carry it as they carry a zip's hash, and a tag pushed anew
 * later changes nothing until UpdateFunctionCode.
 */
export interface ImageCode {
  imageUri: string;
  resolvedImageUri: string;
  accountId: string;
  region: string;
  repository: string;
  digest: string;
  architecture: string;
  layers: Array<{ digest: string; mediaType: string }>;
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  env: string[];
  /**
   * Until an UpdateFunctionCode settles: the stored code it replaced, which the function goes back
   * to if the new image turns out unusable (AWS keeps running the previous image then).
   */
  previous?: string;
  /**
   * The `LastModified` of the code in `previous`: while the update is InProgress invokes run the
   * previous image, in the warm environments they ran in before (same fingerprint).
   */
  previousModified?: string;
}

const PREFIX = 'image:';

export function encodeImageCode(code: ImageCode): string {
  return PREFIX + Buffer.from(JSON.stringify(code)).toString('base64url');
}

/** The image of a stored code reference; null for a .zip function's hash. */
export function decodeImageCode(stored: string | null): ImageCode | null {
  if (!stored?.startsWith(PREFIX)) return null;
  return JSON.parse(Buffer.from(stored.slice(PREFIX.length), 'base64url').toString('utf8')) as ImageCode;
}

/**
 * The stored image code `stored`, remembering `previous` (last modified at `previousModified`) as the
 * code it replaces until it settles.
 */
export function replacingCode(stored: string, previous: string | null, previousModified?: string): string {
  const code = decodeImageCode(stored);
  if (!code || !previous?.startsWith(PREFIX)) return stored;
  const { previous: _older, previousModified: _olderModified, ...prior } = decodeImageCode(previous)!;
  return encodeImageCode({ ...code, previous: encodeImageCode(prior), ...(previousModified ? { previousModified } : {}) });
}

/** The code without what it remembers of the code it replaced: the update has settled. */
export function settledCode(code: ImageCode): string {
  const { previous: _previous, previousModified: _previousModified, ...settled } = code;
  return encodeImageCode(settled);
}

/** `ImageConfigResponse.ImageConfig` as CreateFunction and UpdateFunctionConfiguration stored it. */
export interface ImageConfigOverrides {
  EntryPoint?: string[];
  Command?: string[];
  WorkingDirectory?: string;
}

export function imageConfigOf(config: FunctionConfiguration): ImageConfigOverrides {
  const response = config.ImageConfigResponse as { ImageConfig?: ImageConfigOverrides } | undefined;
  return response?.ImageConfig ?? {};
}

/**
 * What the environment runs: ImageConfig's EntryPoint, Command and WorkingDirectory over the
 * image's own; `_HANDLER` is the command's first element, as Lambda sets it for images.
 */
export function imageRunOf(code: ImageCode, overrides: ImageConfigOverrides): { run: ImageRun; handler: string } {
  const entrypoint = overrides.EntryPoint ?? code.entrypoint;
  const cmd = overrides.Command ?? code.cmd;
  return {
    run: {
      digest: code.digest,
      layers: code.layers,
      argv: [...entrypoint, ...cmd],
      workingDir: overrides.WorkingDirectory ?? (code.workingDir || '/'),
      env: code.env,
    },
    handler: cmd[0] ?? '',
  };
}
