import type { Clock } from '../../clock.js';
import type { CredentialStore } from '../../auth/credentials.js';
import type { SessionCredentials } from '../../auth/session-credentials.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { Logger } from '../../logger.js';
import type { QueryParams } from '../../protocols/query.js';
import type { XmlValue } from '../../protocols/xml-writer.js';
import type { Store } from '../../store/database.js';
import type { IamPolicySource } from './policy-source.js';
import type { ManagedPoliciesTable } from './tables/managed-policies.js';
import type { PrincipalPoliciesTable } from './tables/principal-policies.js';
import type { RolesTable } from './tables/roles.js';
import type { UsersTable } from './tables/users.js';

export interface IamServiceOptions {
  db: Store;
  clock: Clock;
  logger: Logger;
  /** Where temporary credentials are issued and revoked. */
  sessions: SessionCredentials;
  /** The long-term keys' cache, told when a user's key goes. */
  credentials: CredentialStore;
}

export interface IamDeps extends IamServiceOptions {
  roles: RolesTable;
  users: UsersTable;
  principalPolicies: PrincipalPoliciesTable;
  managed: ManagedPoliciesTable;
  policySource: IamPolicySource;
}

export interface IamRequest {
  ctx: RequestContext;
  params: QueryParams;
}

export type IamOperation = (deps: IamDeps, req: IamRequest) => Promise<Record<string, XmlValue> | undefined>;
