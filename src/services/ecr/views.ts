import { repositoryArn, repositoryUri, type RepositoryKey } from './names.js';
import type { ManifestRow } from './tables/images.js';
import type { RepositoryRow } from './tables/repositories.js';

export function keyOf(row: RepositoryRow): RepositoryKey {
  return { accountId: row.account_id, region: row.region, name: row.name };
}

/** ECR's Repository shape; times in epoch seconds, as awsJson sends them. */
export function repositoryView(row: RepositoryRow, port: number): Record<string, unknown> {
  const key = keyOf(row);
  return {
    repositoryArn: repositoryArn(key),
    registryId: row.account_id,
    repositoryName: row.name,
    repositoryUri: repositoryUri(key, port),
    createdAt: row.created_at / 1000,
    imageTagMutability: row.tag_mutability,
    imageScanningConfiguration: { scanOnPush: row.scan_on_push === 1 },
    encryptionConfiguration: JSON.parse(row.encryption) as unknown,
  };
}

/** ECR's ImageDetail shape. */
export function imageDetailView(row: ManifestRow, tags: string[]): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    registryId: row.account_id,
    repositoryName: row.repository,
    imageDigest: row.digest,
    imageSizeInBytes: row.image_size,
    imagePushedAt: row.pushed_at / 1000,
    imageManifestMediaType: row.media_type,
    artifactMediaType: artifactMediaTypeOf(row),
  };
  if (tags.length > 0) detail.imageTags = tags;
  if (row.last_pulled_at !== null) detail.lastRecordedPullTime = row.last_pulled_at / 1000;
  return detail;
}

function artifactMediaTypeOf(row: ManifestRow): string | undefined {
  try {
    const doc = JSON.parse(row.body.toString('utf8')) as { config?: { mediaType?: string } };
    return doc.config?.mediaType;
  } catch {
    return undefined;
  }
}
