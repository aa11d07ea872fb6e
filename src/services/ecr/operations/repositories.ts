import type { EcrDeps, EcrOperation } from '../deps.js';
import { errors } from '../errors.js';
import { optionalString, page, repositoryKeyOf } from '../input.js';
import { DEFAULT_DESCRIBE_REPOSITORIES_RESULTS, MAX_DESCRIBE_REPOSITORIES_RESULTS } from '../limits.js';
import { isRepositoryName } from '../names.js';
import { countManifests } from '../tables/images.js';
import { deleteRepository, findRepository, insertRepository, listRepositories, updateRepository } from '../tables/repositories.js';
import { repositoryView } from '../views.js';
import { checkTags } from './tags.js';

const MUTABILITY = ['MUTABLE', 'IMMUTABLE'];

function mutabilityOf(value: unknown): string {
  if (value === undefined || value === null) return 'MUTABLE';
  if (typeof value !== 'string' || !MUTABILITY.includes(value)) {
    throw errors.validation([`Value '${String(value)}' at 'imageTagMutability' failed to satisfy constraint: Member must satisfy enum value set: [${MUTABILITY.join(', ')}]`]);
  }
  return value;
}

export function repositoryOperations(deps: EcrDeps): Record<string, EcrOperation> {
  const { db, clock } = deps;
  return {
    async CreateRepository(input, ctx) {
      const key = repositoryKeyOf(input, ctx);
      const tags = checkTags(input.tags, 0);
      const scanning = (input.imageScanningConfiguration ?? {}) as { scanOnPush?: unknown };
      const encryption = (input.encryptionConfiguration ?? { encryptionType: 'AES256' }) as { encryptionType?: unknown; kmsKey?: unknown };
      if (encryption.encryptionType !== 'AES256' && encryption.encryptionType !== 'KMS' && encryption.encryptionType !== 'KMS_DSSE') {
        throw errors.validation([`Value '${String(encryption.encryptionType)}' at 'encryptionConfiguration.encryptionType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS, KMS_DSSE]`]);
      }
      ctx.authorize?.('ecr:CreateRepository', `arn:aws:ecr:${key.region}:${key.accountId}:repository/${key.name}`);
      if (await findRepository(db, key)) throw errors.repositoryExists(key.name, key.accountId);
      const row = {
        account_id: key.accountId,
        region: key.region,
        name: key.name,
        tag_mutability: mutabilityOf(input.imageTagMutability),
        scan_on_push: scanning.scanOnPush === true ? 1 : 0,
        encryption: JSON.stringify(encryption),
        tags: JSON.stringify(tags),
        created_at: clock.now(),
      };
      await insertRepository(db, row);
      return { repository: repositoryView(row, ctx.endpoint.port) };
    },

    async DescribeRepositories(input, ctx) {
      const registryId = optionalString(input, 'registryId');
      const names = input.repositoryNames;
      if (registryId !== undefined && registryId !== ctx.accountId && Array.isArray(names) && names.length > 0) {
        throw errors.repositoryNotFound(String(names[0]), registryId);
      }
      let rows = await listRepositories(db, { accountId: ctx.accountId, region: ctx.region });
      if (Array.isArray(names)) {
        if (input.maxResults !== undefined || input.nextToken !== undefined) {
          throw errors.invalidParameter('Invalid parameter at \'maxResults\' failed to satisfy constraint: \'maxResults cannot be set when repositoryNames are specified\'');
        }
        const byName = new Map(rows.map((r) => [r.name, r]));
        for (const name of names) {
          if (typeof name !== 'string' || !isRepositoryName(name)) throw errors.invalidRepositoryName();
          if (!byName.has(name)) throw errors.repositoryNotFound(name, ctx.accountId);
        }
        rows = names.map((n) => byName.get(n as string)!);
      }
      const { items, nextToken } = page(rows, input, DEFAULT_DESCRIBE_REPOSITORIES_RESULTS, MAX_DESCRIBE_REPOSITORIES_RESULTS);
      return { repositories: items.map((r) => repositoryView(r, ctx.endpoint.port)), ...(nextToken ? { nextToken } : {}) };
    },

    async DeleteRepository(input, ctx) {
      const key = repositoryKeyOf(input, ctx);
      ctx.authorize?.('ecr:DeleteRepository', `arn:aws:ecr:${key.region}:${key.accountId}:repository/${key.name}`);
      const row = await findRepository(db, key);
      if (!row) throw errors.repositoryNotFound(key.name, key.accountId);
      if (input.force !== true && (await countManifests(db, key)) > 0) throw errors.repositoryNotEmpty(key.name, key.accountId);
      await db.transaction().execute((trx) => deleteRepository(trx, key));
      return { repository: repositoryView(row, ctx.endpoint.port) };
    },

    async PutImageTagMutability(input, ctx) {
      const key = repositoryKeyOf(input, ctx);
      if (input.imageTagMutability === undefined) throw errors.validation(["Value null at 'imageTagMutability' failed to satisfy constraint: Member must not be null"]);
      const mutability = mutabilityOf(input.imageTagMutability);
      if (!(await findRepository(db, key))) throw errors.repositoryNotFound(key.name, key.accountId);
      await updateRepository(db, key, { tag_mutability: mutability });
      return { registryId: key.accountId, repositoryName: key.name, imageTagMutability: mutability };
    },

    async PutImageScanningConfiguration(input, ctx) {
      const key = repositoryKeyOf(input, ctx);
      const scanning = (input.imageScanningConfiguration ?? {}) as { scanOnPush?: unknown };
      if (!(await findRepository(db, key))) throw errors.repositoryNotFound(key.name, key.accountId);
      await updateRepository(db, key, { scan_on_push: scanning.scanOnPush === true ? 1 : 0 });
      return { registryId: key.accountId, repositoryName: key.name, imageScanningConfiguration: { scanOnPush: scanning.scanOnPush === true } };
    },
  };
}
