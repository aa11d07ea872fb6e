import type { CredentialSource } from '../../../auth/credential.js';
import type { Clock } from '../../../clock.js';
import type { Authorize } from '../../../contracts/authorization.js';
import type { RequestContext } from '../../../contracts/request-context.js';
import type { BlobStore } from '../../../store/blobs.js';
import type { Store } from '../../../store/database.js';
import type { RegistryTokens } from '../auth-token.js';
import type { RepositoryKey } from '../names.js';
import type { RepositoryRow } from '../tables/repositories.js';
import type { BlobUploads } from './uploads.js';

export interface RegistryDeps {
  db: Store;
  clock: Clock;
  blobs: BlobStore;
  uploads: BlobUploads;
  credentials: CredentialSource;
  tokens: RegistryTokens;
}

/** One registry request, authenticated and with its repository found. */
export interface RepositoryRequest {
  ctx: RequestContext;
  key: RepositoryKey;
  repository: RepositoryRow;
  /** The caller's policies, when it is held to them (a user's or role's credentials). */
  authorize?: Authorize;
}
