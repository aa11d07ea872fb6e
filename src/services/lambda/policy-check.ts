import { arnLike, wildcardMatch } from '../../auth/policy/wildcard.js';
import type { Store } from '../../store/database.js';
import type { Scope } from './model.js';

/** One statement of a function's resource-based policy, as AddPermission writes it. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal: '*' | { Service?: string | string[]; AWS?: string | string[] };
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface StoredPolicy {
  statements: PolicyStatement[];
  revisionId: string;
}

/** `''` is the unqualified function's policy; `$LATEST` shares it (policies cannot target `$LATEST`). */
export function policyQualifier(qualifier: string | null | undefined): string {
  return !qualifier || qualifier === '$LATEST' ? '' : qualifier;
}

export async function readPolicy(db: Store, scope: Scope, functionName: string, qualifier: string | null): Promise<StoredPolicy | undefined> {
  const row = await db
    .selectFrom('lambda_policies')
    .select(['statements', 'revision_id'])
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('function_name', '=', functionName)
    .where('qualifier', '=', policyQualifier(qualifier))
    .executeTakeFirst();
  return row && { statements: JSON.parse(row.statements) as PolicyStatement[], revisionId: row.revision_id };
}

export interface InvokeRequest {
  /** The AWS service acting as caller, e.g. `s3.amazonaws.com`. */
  principalService?: string;
  /** An IAM principal acting as caller (account root, user or role ARN). */
  principalArn?: string;
  sourceArn?: string;
  sourceAccount?: string;
  /** Set only for function URL requests: the URL's auth type. */
  functionUrlAuthType?: 'NONE' | 'AWS_IAM';
  /** `lambda:InvokeFunction` or `lambda:InvokeFunctionUrl`. */
  action: string;
}

/**
 * Whether the resource-based policy on the invoked ARN allows the request. As in AWS, a
 * qualified invocation is judged by the policy of that version or alias only, an unqualified
 * (or `$LATEST`) one by the function's policy. Deny statements win over Allow ones.
 */
export async function isInvokeAllowed(
  db: Store,
  scope: Scope,
  functionName: string,
  qualifier: string | null,
  request: InvokeRequest,
): Promise<boolean> {
  const policy = await readPolicy(db, scope, functionName, qualifier);
  if (!policy) return false;
  const matching = policy.statements.filter((s) => statementMatches(s, request));
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
}

export function statementMatches(statement: PolicyStatement, request: InvokeRequest): boolean {
  return actionMatches(statement.Action, request.action) && principalMatches(statement.Principal, request) && conditionsHold(statement.Condition, request);
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** IAM action names compare case-insensitively and may carry `*`/`?` wildcards. */
function actionMatches(actions: string | string[], requested: string): boolean {
  return asList(actions).some((a) => wildcardMatch(a.toLowerCase(), requested.toLowerCase()));
}

function principalMatches(principal: PolicyStatement['Principal'], request: InvokeRequest): boolean {
  if (principal === '*') return true;
  if (asList(principal.AWS).includes('*')) return true;
  if (request.principalService && asList(principal.Service).includes(request.principalService)) return true;
  if (request.principalArn) {
    const callerAccount = accountOf(request.principalArn);
    return asList(principal.AWS).some((p) => p === request.principalArn || (p.endsWith(':root') && accountOf(p) === callerAccount));
  }
  return false;
}

function accountOf(arn: string): string | undefined {
  if (/^\d{12}$/.test(arn)) return arn;
  return arn.split(':')[4];
}

/** The request's value for a condition key (keys are case-insensitive); undefined when absent. */
function contextValue(key: string, request: InvokeRequest): string | undefined {
  switch (key.toLowerCase()) {
    case 'aws:sourcearn':
      return request.sourceArn;
    case 'aws:sourceaccount':
      return request.sourceAccount;
    case 'lambda:functionurlauthtype':
      return request.functionUrlAuthType;
    case 'lambda:invokedviafunctionurl':
      return request.functionUrlAuthType === undefined ? 'false' : 'true';
    default:
      return undefined;
  }
}

type Comparator = (expected: string, actual: string) => boolean;

const OPERATORS: Record<string, Comparator> = {
  stringequals: (e, a) => e === a,
  stringnotequals: (e, a) => e !== a,
  stringequalsignorecase: (e, a) => e.toLowerCase() === a.toLowerCase(),
  stringlike: (e, a) => wildcardMatch(e, a),
  stringnotlike: (e, a) => !wildcardMatch(e, a),
  arnequals: (e, a) => e === a,
  arnlike: (e, a) => arnLike(a, e),
  arnnotequals: (e, a) => e !== a,
  arnnotlike: (e, a) => !arnLike(a, e),
  bool: (e, a) => e.toLowerCase() === a.toLowerCase(),
};

const NEGATED = new Set(['stringnotequals', 'stringnotlike', 'arnnotequals', 'arnnotlike']);

/** Every operator block and every key in it must hold; a key with several values holds if any does. */
function conditionsHold(condition: PolicyStatement['Condition'], request: InvokeRequest): boolean {
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    const op = operator.toLowerCase();
    const compare = OPERATORS[op];
    if (!compare) return false; // an operator we cannot evaluate never grants access
    for (const [key, expected] of Object.entries(entries)) {
      const actual = contextValue(key, request);
      if (actual === undefined) {
        // A missing key fails a positive test and passes a negated one, as in IAM.
        if (NEGATED.has(op)) continue;
        return false;
      }
      const values = asList(expected);
      const holds = NEGATED.has(op) ? values.every((v) => compare(v, actual)) : values.some((v) => compare(v, actual));
      if (!holds) return false;
    }
  }
  return true;
}
