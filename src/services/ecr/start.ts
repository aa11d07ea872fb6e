import path from 'node:path';
import type { CredentialSource } from '../../auth/credential.js';
import type { Clock } from '../../clock.js';
import type { StartedService } from '../../contracts/started-service.js';
import type { Service } from '../../contracts/service.js';
import type { BlobStore } from '../../store/blobs.js';
import type { Store } from '../../store/database.js';
import { RegistryTokens } from './auth-token.js';
import { createImageReader, type ImageReader } from './image-reader.js';
import { createRegistryService } from './registry/service.js';
import { BlobUploads } from './registry/uploads.js';
import { createEcrService } from './service.js';

export interface StartedEcr extends StartedService {
  /** The container registry API (`/v2/…`), a second service on the one port. */
  registry: Service;
  /** Images for in-process readers (Lambda's container image functions). */
  images: ImageReader;
  close(): Promise<void>;
}

/**
 * ECR: its control plane, the registry that holds the images, and the reader Lambda pulls
 * through. Blob uploads in progress carry over from the last run; abandoned ones are deleted.
 */
export async function startEcr(options: { db: Store; clock: Clock; blobs: BlobStore; dataDir: string; secret: Buffer; credentials: CredentialSource }): Promise<StartedEcr> {
  const { db, clock, blobs } = options;
  const tokens = new RegistryTokens(options.secret);
  const uploads = new BlobUploads(path.join(options.dataDir, 'ecr-uploads'), blobs, db, clock);
  await uploads.purgeAbandoned();
  return {
    service: createEcrService({ db, clock, tokens }),
    registry: createRegistryService({ db, clock, blobs, uploads, credentials: options.credentials, tokens }),
    images: createImageReader({ db, blobs }),
    // Every repository of every account with its images, tags and blob references, as
    // DeleteRepository with force takes them (the blob files go at a later garbage collection, as
    // after DeleteRepository); uploads in progress are discarded.
    reset: async () => {
      await db.transaction().execute(async (trx) => {
        for (const table of ['ecr_tags', 'ecr_manifests', 'ecr_blobs', 'ecr_repositories'] as const) await trx.deleteFrom(table).execute();
      });
      await uploads.cancelAll();
    },
    async close() {
      uploads.close();
    },
  };
}
