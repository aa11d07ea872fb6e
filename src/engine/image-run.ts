/**
 * What runs a container image function: the image (its layers, bottom first, in the blob store)
 * and the process the environment starts, with the function's ImageConfig already applied.
 */
export interface ImageRun {
  /** The image manifest's digest: its layers are unpacked once, under this name. */
  digest: string;
  layers: Array<{ digest: string; mediaType: string }>;
  /** ENTRYPOINT followed by CMD. */
  argv: string[];
  /** The working directory (`/` when neither the image nor ImageConfig names one). */
  workingDir: string;
  /** The image's `Env` (`NAME=value`), under the function's own variables. */
  env: string[];
}
