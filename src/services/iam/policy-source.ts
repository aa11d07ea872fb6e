import { compilePolicy, type CompiledPolicy } from '../../auth/policy/document.js';
import { evaluate } from '../../auth/policy/evaluate.js';
import type { PolicySource, PrincipalPolicies } from '../../contracts/authorization.js';
import type { Principal } from '../../contracts/principal.js';
import type { Logger } from '../../logger.js';
import { ReadCache } from '../../store/read-cache.js';
import { awsManagedPolicy } from './aws-managed-policies.js';
import type { ManagedPoliciesTable } from './tables/managed-policies.js';
import type { PrincipalKind, PrincipalPoliciesTable } from './tables/principal-policies.js';

/** A role Lambkin's IAM does not know: full access within its own account (the edge keeps other accounts out). */
const OWN_ACCOUNT_ONLY: PrincipalPolicies = { decide: () => 'allow' };
const MAX_CACHED_PRINCIPALS = 5000;

/**
 * Each principal's policies (inline and attached), compiled once and kept until any IAM write
 * changes them: the invoke path of a function then evaluates in memory.
 */
export class IamPolicySource implements PolicySource {
  private readonly cache = new ReadCache<PrincipalPolicies>(MAX_CACHED_PRINCIPALS);

  constructor(
    private readonly principalPolicies: PrincipalPoliciesTable,
    private readonly managed: ManagedPoliciesTable,
    private readonly logger: Logger,
  ) {}

  private invalidateListener: (() => void) | undefined;

  /** Called by every IAM write that can change what a principal may do. */
  invalidate(): void {
    this.cache.clear();
    this.invalidateListener?.();
  }

  /** Called after each `invalidate` (the cluster's other nodes drop theirs: `invalidateLocal`). */
  onInvalidate(listener: () => void): void {
    this.invalidateListener = listener;
  }

  /** Drops the cache without telling anyone (another node's IAM write). */
  invalidateLocal(): void {
    this.cache.clear();
  }

  async policiesFor(principal: Principal): Promise<PrincipalPolicies | null> {
    if (principal.kind === 'account') return null;
    if (principal.kind === 'role-session' && !principal.managed) return OWN_ACCOUNT_ONLY;
    const kind: PrincipalKind = principal.kind === 'user' ? 'user' : 'role';
    const key = (principal.kind === 'user' ? principal.userName : principal.roleName).toLowerCase();
    return this.cache.read(`${principal.accountId}/${kind}/${key}`, async () => {
      const compiled = await this.load(principal.accountId, kind, key);
      return { decide: (action, resource, context) => evaluate(compiled, action, resource, context) };
    });
  }

  private async load(accountId: string, kind: PrincipalKind, key: string): Promise<CompiledPolicy[]> {
    const documents: string[] = [];
    for (const row of await this.principalPolicies.inline(accountId, kind, key)) documents.push(row.document);
    for (const arn of await this.principalPolicies.attached(accountId, kind, key)) {
      const aws = awsManagedPolicy(arn);
      const document = aws ? JSON.stringify(aws.document) : await this.managed.defaultDocument(arn);
      if (document !== undefined) documents.push(document);
    }
    const compiled: CompiledPolicy[] = [];
    for (const document of documents) {
      try {
        compiled.push(compilePolicy(document, 'identity'));
      } catch (err) {
        // Documents were checked when stored; one that no longer compiles grants nothing.
        this.logger.warn({ err, accountId, kind, key }, 'a stored policy document does not compile');
      }
    }
    return compiled;
  }
}
