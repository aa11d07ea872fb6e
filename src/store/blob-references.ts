import type { Store } from './database.js';

/** Hexes per IN list. */
const PER_QUERY = 500;

/**
 * Which of `hexes` a stored row still names: a function version's or layer version's code, or a
 * blob of an ECR repository (`sha256:<hex>`; image layers and configs, whether or not a manifest
 * names them yet), or an S3 object version's or upload part's body (by file id, in shared storage).
 * Garbage collection keeps these.
 */
export async function referencedBlobs(db: Store, hexes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < hexes.length; i += PER_QUERY) {
    const chunk = hexes.slice(i, i + PER_QUERY);
    const versions = await db.selectFrom('lambda_function_versions').select('code_sha256_hex as hex').distinct().where('code_sha256_hex', 'in', chunk).execute();
    const layers = await db.selectFrom('lambda_layer_versions').select('code_sha256_hex as hex').distinct().where('code_sha256_hex', 'in', chunk).execute();
    const images = await db.selectFrom('ecr_blobs').select('digest').distinct().where('digest', 'in', chunk.map((hex) => `sha256:${hex}`)).execute();
    const objects = await db.selectFrom('s3_objects').select('file_id').where('file_id', 'in', chunk).execute();
    const parts = await db.selectFrom('s3_upload_parts').select('file_id').where('file_id', 'in', chunk).execute();
    for (const r of objects) if (r.file_id) found.add(r.file_id);
    for (const r of parts) found.add(r.file_id);
    for (const r of versions) if (r.hex) found.add(r.hex);
    for (const r of layers) found.add(r.hex);
    for (const r of images) found.add(r.digest.slice('sha256:'.length));
  }
  return found;
}
