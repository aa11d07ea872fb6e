import type { StartedService } from '../../contracts/started-service.js';
import type { Service } from '../../contracts/service.js';
import type { ExecutionRoleCheck, FunctionCredentialIssuer } from '../../contracts/execution-roles.js';
import type { PolicySource } from '../../contracts/authorization.js';
import type { IamDeps, IamServiceOptions } from './deps.js';
import { executionRoles } from './execution-roles.js';
import { IamPolicySource } from './policy-source.js';
import { createIamService } from './service.js';
import { resetIam } from './state-reset.js';
import { createStsService } from './sts/service.js';
import { ManagedPoliciesTable } from './tables/managed-policies.js';
import { PrincipalPoliciesTable } from './tables/principal-policies.js';
import { RolesTable } from './tables/roles.js';
import { UsersTable } from './tables/users.js';

/** How often expired sessions are swept from the store. */
const SESSION_SWEEP_MS = 3600 * 1000;

export interface StartedIam extends StartedService {
  /** STS, a second API over the same roles and sessions. */
  sts: Service;
  /** What the edge asks for each caller held to policies. */
  policies: PolicySource;
  /** The policy cache behind `policies`: its writes are news for other nodes, and theirs for it. */
  policyCache: IamPolicySource;
  /** Lambda's CreateFunction check and each environment's credentials. */
  executionRoles: ExecutionRoleCheck;
  functionCredentials: FunctionCredentialIssuer;
  start(): void;
  close(): void;
}

/** IAM and STS: their tables, the policy cache the edge reads, and what Lambda asks of them. */
export function startIam(options: IamServiceOptions): StartedIam {
  const principalPolicies = new PrincipalPoliciesTable(options.db);
  const managed = new ManagedPoliciesTable(options.db);
  const deps: IamDeps = {
    ...options,
    roles: new RolesTable(options.db),
    users: new UsersTable(options.db),
    principalPolicies,
    managed,
    policySource: new IamPolicySource(principalPolicies, managed, options.logger),
  };
  const roles = executionRoles(deps);
  let sweep: NodeJS.Timeout | undefined;
  return {
    service: createIamService(deps),
    sts: createStsService(deps),
    policies: deps.policySource,
    policyCache: deps.policySource,
    executionRoles: roles.check,
    functionCredentials: roles.issue,
    reset: () => resetIam(deps),
    start() {
      const run = () => void deps.sessions.sweep().catch((err: unknown) => options.logger.warn({ err }, 'sweeping expired sessions failed'));
      run();
      sweep = setInterval(run, SESSION_SWEEP_MS);
      sweep.unref();
    },
    close() {
      clearInterval(sweep);
    },
  };
}
