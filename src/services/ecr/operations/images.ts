import type { Store } from '../../../store/database.js';
import type { EcrDeps, EcrOperation } from '../deps.js';
import { errors } from '../errors.js';
import { ImageRejected, storeManifest } from '../image-store.js';
import { optionalString, page, repositoryKeyOf, requiredString } from '../input.js';
import { DEFAULT_LIST_IMAGES_RESULTS, MAX_BATCH_IMAGE_IDS, MAX_LIST_IMAGES_RESULTS } from '../limits.js';
import { isDigest, type RepositoryKey } from '../names.js';
import { deleteManifest, deleteTag, findManifest, findTag, listManifests, tagsByDigest, type ManifestRow } from '../tables/images.js';
import { findRepository, type RepositoryRow } from '../tables/repositories.js';
import { imageDetailView } from '../views.js';

interface ImageId {
  imageDigest?: string;
  imageTag?: string;
}

type Failure = { imageId: ImageId; failureCode: string; failureReason: string };

async function requireRepository(db: Store, key: RepositoryKey): Promise<RepositoryRow> {
  const row = await findRepository(db, key);
  if (!row) throw errors.repositoryNotFound(key.name, key.accountId);
  return row;
}

function imageIdsOf(input: Record<string, unknown>): ImageId[] {
  const ids = input.imageIds;
  if (ids === undefined || ids === null) throw errors.validation(["Value null at 'imageIds' failed to satisfy constraint: Member must not be null"]);
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > MAX_BATCH_IMAGE_IDS) {
    throw errors.validation([`Value at 'imageIds' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BATCH_IMAGE_IDS}`]);
  }
  return ids.map((id) => {
    const v = (id ?? {}) as Record<string, unknown>;
    const out: ImageId = {};
    if (typeof v.imageDigest === 'string') out.imageDigest = v.imageDigest;
    if (typeof v.imageTag === 'string') out.imageTag = v.imageTag;
    return out;
  });
}

/** The manifest an image id names, or why none: ECR's per-id failure codes. */
async function lookUp(db: Store, key: RepositoryKey, id: ImageId): Promise<ManifestRow | Failure> {
  if (id.imageDigest === undefined && id.imageTag === undefined) return { imageId: id, failureCode: 'MissingDigestAndTag', failureReason: 'Missing image digest and tag' };
  if (id.imageDigest !== undefined && !isDigest(id.imageDigest)) return { imageId: id, failureCode: 'InvalidImageDigest', failureReason: 'Invalid request parameters: image digest should satisfy the regex' };
  const tagged = id.imageTag !== undefined ? await findTag(db, key, id.imageTag) : undefined;
  if (id.imageTag !== undefined && id.imageDigest !== undefined && tagged !== undefined && tagged !== id.imageDigest) {
    return { imageId: id, failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid image tag for image digest' };
  }
  const digest = id.imageDigest ?? tagged;
  const row = digest ? await findManifest(db, key, digest) : undefined;
  if (!row) {
    return { imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
  }
  return row;
}

function isFailure(value: ManifestRow | Failure): value is Failure {
  return 'failureCode' in value;
}

export function imageOperations(deps: EcrDeps): Record<string, EcrOperation> {
  const { db, clock } = deps;
  return {
    async ListImages(input, ctx) {
      const key = repositoryKeyOf(input, ctx);
      await requireRepository(db, key);
      const status = ((input.filter ?? {}) as { tagStatus?: unknown }).tagStatus ?? 'ANY';
      const tags = await tagsByDigest(db, key);
      const ids: ImageId[] = [];
      for (const row of await listManifests(db, key)) {
        const rowTags = tags.get(row.digest) ?? [];
        if (rowTags.length === 0 && status !== 'TAGGED') ids.push({ imageDigest: row.digest });
        if (status !== 'UNTAGGED') for (const tag of rowTags) ids.push({ imageDigest: row.digest, imageTag: tag });
      }
      const { items, nextToken } = page(ids, input, DEFAULT_LIST_IMAGES_RESULTS, MAX_LIST_IMAGES_RESULTS);
      return { imageIds: items, ...(nextToken ? { nextToken } : {}) };
    },

    async DescribeImages(input, ctx) {
      const key = repositoryKeyOf(input, ctx);
      await requireRepository(db, key);
      const tags = await tagsByDigest(db, key);
      let rows: ManifestRow[];
      if (input.imageIds !== undefined) {
        rows = [];
        for (const id of imageIdsOf(input)) {
          const found = await lookUp(db, key, id);
          if (isFailure(found)) throw errors.imageNotFound(id, key.name, key.accountId);
          if (!rows.some((r) => r.digest === found.digest)) rows.push(found);
        }
      } else {
        const status = ((input.filter ?? {}) as { tagStatus?: unknown }).tagStatus ?? 'ANY';
        rows = (await listManifests(db, key)).filter((r) => {
          const tagged = (tags.get(r.digest) ?? []).length > 0;
          return status === 'ANY' || (status === 'TAGGED') === tagged;
        });
      }
      const { items, nextToken } = page(rows, input, DEFAULT_LIST_IMAGES_RESULTS, MAX_LIST_IMAGES_RESULTS);
      return { imageDetails: items.map((r) => imageDetailView(r, tags.get(r.digest) ?? [])), ...(nextToken ? { nextToken } : {}) };
    },

    async BatchGetImage(input, ctx) {
      const key = repositoryKeyOf(input, ctx);
      await requireRepository(db, key);
      const accepted = Array.isArray(input.acceptedMediaTypes) ? input.acceptedMediaTypes.map(String) : null;
      const images: unknown[] = [];
      const failures: Failure[] = [];
      for (const id of imageIdsOf(input)) {
        const found = await lookUp(db, key, id);
        if (isFailure(found)) {
          failures.push(found);
          continue;
        }
        if (accepted && !accepted.includes(found.media_type)) {
          failures.push({ imageId: id, failureCode: 'UnsupportedImageType', failureReason: 'The image manifest media type is not supported by the request' });
          continue;
        }
        const imageId: ImageId = { imageDigest: found.digest, ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}) };
        images.push({ registryId: key.accountId, repositoryName: key.name, imageId, imageManifest: found.body.toString('utf8'), imageManifestMediaType: found.media_type });
      }
      return { images, failures };
    },

    /** A tag alone removes the tag; the image goes with its last tag, or when named by digest. */
    async BatchDeleteImage(input, ctx) {
      const key = repositoryKeyOf(input, ctx);
      await requireRepository(db, key);
      const deleted: ImageId[] = [];
      const failures: Failure[] = [];
      for (const id of imageIdsOf(input)) {
        const found = await lookUp(db, key, id);
        if (isFailure(found)) {
          failures.push(found);
          continue;
        }
        await db.transaction().execute(async (trx) => {
          if (id.imageTag !== undefined && id.imageDigest === undefined) {
            await deleteTag(trx, key, id.imageTag);
            const left = (await tagsByDigest(trx, key)).get(found.digest) ?? [];
            if (left.length === 0) await deleteManifest(trx, key, found.digest);
            deleted.push({ imageDigest: found.digest, imageTag: id.imageTag });
            return;
          }
          const tags = (await tagsByDigest(trx, key)).get(found.digest) ?? [];
          await deleteManifest(trx, key, found.digest);
          if (tags.length === 0) deleted.push({ imageDigest: found.digest });
          for (const tag of tags) deleted.push({ imageDigest: found.digest, imageTag: tag });
        });
      }
      return { imageIds: deleted, failures };
    },

    async PutImage(input, ctx) {
      const key = repositoryKeyOf(input, ctx);
      const manifest = requiredString(input, 'imageManifest');
      const tag = optionalString(input, 'imageTag');
      const digest = optionalString(input, 'imageDigest');
      const mediaType = optionalString(input, 'imageManifestMediaType');
      const repository = await requireRepository(db, key);
      try {
        const stored = await storeManifest(db, clock, repository, {
          bytes: Buffer.from(manifest, 'utf8'),
          ...(mediaType ? { contentType: mediaType } : {}),
          ...(tag !== undefined ? { tag } : {}),
          ...(digest !== undefined ? { digest } : {}),
          refuseUnchanged: true,
        });
        const imageId: ImageId = { imageDigest: stored.digest, ...(tag !== undefined ? { imageTag: tag } : {}) };
        return { image: { registryId: key.accountId, repositoryName: key.name, imageId, imageManifest: manifest, imageManifestMediaType: stored.manifest.mediaType } };
      } catch (err) {
        if (!(err instanceof ImageRejected)) throw err;
        switch (err.reason) {
          case 'digest-mismatch':
            throw errors.digestMismatch(err.digests[0] ?? '', err.digests[1] ?? '');
          case 'blob-unknown':
            throw errors.layersNotFound(err.digests, key.name, key.accountId);
          case 'manifest-unknown':
            throw errors.referencedImagesNotFound(err.digests, key.name);
          case 'tag-immutable':
            throw errors.tagImmutable(tag ?? '', key.name);
          case 'image-exists':
            throw errors.imageExists(err.digests[0] ?? '', tag ?? 'null', key.name, key.accountId);
          default:
            throw errors.invalidManifest(err.message);
        }
      }
    },
  };
}
