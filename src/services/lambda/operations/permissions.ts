import { randomUUID } from 'node:crypto';
import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { functionArn, resolveFunctionRef } from '../arns.js';
import type { LambdaDeps } from '../deps.js';
import { errors } from '../errors.js';
import * as limits from '../limits.js';
import type { Scope } from '../model.js';
import { policyQualifier, readPolicy, type PolicyStatement } from '../policy-check.js';
import { functionLockKey } from '../provisioner.js';
import { jsonBody, optionalBoolean, optionalString, scopeOf } from '../request.js';
import { ConstraintCheck, PATTERNS } from '../validation.js';
import { readAlias, writeAlias } from '../tables/aliases-table.js';

export function permissionRoutes(deps: LambdaDeps): RestJsonRoute[] {
  const base = '/2015-03-31/functions/{FunctionName}/policy';
  return [
    { operation: 'AddPermission', method: 'POST', path: base, handler: (r) => addPermission(deps, r) },
    { operation: 'GetPolicy', method: 'GET', path: base, handler: (r) => getPolicy(deps, r) },
    { operation: 'RemovePermission', method: 'DELETE', path: `${base}/{StatementId}`, handler: (r) => removePermission(deps, r) },
  ];
}

const QUALIFIER_PATTERN = '\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+';
const ACTION_PATTERN = '(lambda:[*]|lambda:[a-zA-Z]+|[*])';
const SOURCE_ARN_PATTERN = 'arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)';
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.(amazonaws\.com|amazon\.com|amazonaws\.com\.cn)$/;
const IAM_PRINCIPAL = /^arn:aws[a-zA-Z-]*:(iam|sts)::\d{12}:.+$/;

function checkQualifier(qualifier: string | null, check: ConstraintCheck): void {
  if (qualifier === null) return;
  check.length(qualifier, 'qualifier', 1, 128).pattern(qualifier, 'qualifier', QUALIFIER_PATTERN);
}

/**
 * What a policy is attached to: the unqualified function (whose RevisionId is `$LATEST`'s), a
 * version, or an alias. AWS keeps the policy's RevisionId equal to that resource's, and every
 * change to the policy gives the resource a new one.
 */
interface PolicyTarget {
  scope: Scope;
  functionName: string;
  /** `''` for the unqualified function. */
  qualifier: string;
  arn: string;
  revisionId(): Promise<string>;
  setRevisionId(revisionId: string): Promise<void>;
}

/** Finds the version or alias a qualifier names, with AWS's not-found messages. */
async function resolveTarget(deps: LambdaDeps, scope: Scope, functionName: string, qualifier: string | null): Promise<PolicyTarget> {
  const q = policyQualifier(qualifier);
  const arn = functionArn(scope.region, scope.accountId, functionName, q || null);
  const isAlias = q !== '' && new RegExp(`^(?:${PATTERNS.aliasName})$`).test(q);
  if (isAlias) {
    if (!(await readAlias(deps.db, scope, functionName, q))) throw errors.aliasNotFound(arn);
    const current = async () => {
      const alias = await readAlias(deps.db, scope, functionName, q);
      if (!alias) throw errors.aliasNotFound(arn);
      return alias;
    };
    return {
      scope, functionName, qualifier: q, arn,
      revisionId: async () => (await current()).RevisionId,
      setRevisionId: async (revisionId) => writeAlias(deps.db, scope, functionName, { ...(await current()), RevisionId: revisionId }),
    };
  }
  const version = q === '' ? '$LATEST' : q;
  const current = async () => {
    const row = /^\d+$/.test(version) || version === '$LATEST' ? await deps.functions.getVersion(scope, functionName, version) : undefined;
    if (!row) throw errors.functionNotFound(arn);
    return row;
  };
  await current();
  return {
    scope, functionName, qualifier: q, arn,
    revisionId: async () => (await current()).config.RevisionId,
    setRevisionId: async (revisionId) => {
      const row = await current();
      await deps.functions.putVersion(scope, functionName, version, { ...row.config, RevisionId: revisionId }, row.codeHex, deps.clock.now());
    },
  };
}

async function savePolicy(deps: LambdaDeps, target: PolicyTarget, statements: PolicyStatement[]): Promise<void> {
  const revisionId = randomUUID();
  const where = {
    account_id: target.scope.accountId,
    region: target.scope.region,
    function_name: target.functionName,
    qualifier: target.qualifier,
  };
  if (statements.length === 0) {
    await deps.db
      .deleteFrom('lambda_policies')
      .where('account_id', '=', where.account_id)
      .where('region', '=', where.region)
      .where('function_name', '=', where.function_name)
      .where('qualifier', '=', where.qualifier)
      .execute();
  } else {
    const values = { ...where, statements: JSON.stringify(statements), revision_id: revisionId };
    await deps.db
      .insertInto('lambda_policies')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['account_id', 'region', 'function_name', 'qualifier']).doUpdateSet({ statements: values.statements, revision_id: revisionId }),
      )
      .execute();
  }
  await target.setRevisionId(revisionId);
}

function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });
}

function principalOf(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (SERVICE_PRINCIPAL.test(principal)) return { Service: principal };
  if (IAM_PRINCIPAL.test(principal)) return { AWS: principal };
  throw errors.invalidPrincipal();
}

interface PermissionInput {
  statementId: string;
  action: string;
  principal: string;
  sourceArn?: string;
  sourceAccount?: string;
  eventSourceToken?: string;
  principalOrgId?: string;
  functionUrlAuthType?: string;
  invokedViaFunctionUrl?: boolean;
}

/** The statement exactly as AWS writes it, conditions in AWS's order. */
function buildStatement(input: PermissionInput, resource: string): PolicyStatement {
  const stringEquals: Record<string, string> = {};
  if (input.sourceAccount !== undefined) stringEquals['AWS:SourceAccount'] = input.sourceAccount;
  if (input.functionUrlAuthType !== undefined) stringEquals['lambda:FunctionUrlAuthType'] = input.functionUrlAuthType;
  if (input.principalOrgId !== undefined) stringEquals['aws:PrincipalOrgID'] = input.principalOrgId;
  if (input.eventSourceToken !== undefined) stringEquals['lambda:EventSourceToken'] = input.eventSourceToken;
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(stringEquals).length > 0) condition.StringEquals = stringEquals;
  if (input.sourceArn !== undefined) condition.ArnLike = { 'AWS:SourceArn': input.sourceArn };
  if (input.invokedViaFunctionUrl) condition.Bool = { 'lambda:InvokedViaFunctionUrl': 'true' };
  return {
    Sid: input.statementId,
    Effect: 'Allow',
    Principal: principalOf(input.principal),
    Action: input.action,
    Resource: resource,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

function readPermissionInput(body: Record<string, unknown>, queryQualifier: string | null): PermissionInput {
  const input = {
    statementId: optionalString(body, 'StatementId'),
    action: optionalString(body, 'Action'),
    principal: optionalString(body, 'Principal'),
    sourceArn: optionalString(body, 'SourceArn'),
    sourceAccount: optionalString(body, 'SourceAccount'),
    eventSourceToken: optionalString(body, 'EventSourceToken'),
    principalOrgId: optionalString(body, 'PrincipalOrgID'),
    functionUrlAuthType: optionalString(body, 'FunctionUrlAuthType'),
    invokedViaFunctionUrl: optionalBoolean(body, 'InvokedViaFunctionUrl'),
  };
  // Members in model order, so several failures list as AWS lists them.
  const check = new ConstraintCheck();
  check.required(input.statementId, 'statementId')
    .length(input.statementId, 'statementId', 1, limits.STATEMENT_ID_MAX_CHARS)
    .pattern(input.statementId, 'statementId', PATTERNS.statementId);
  check.required(input.action, 'action').pattern(input.action, 'action', ACTION_PATTERN);
  check.required(input.principal, 'principal').pattern(input.principal, 'principal', '[^\\s]+');
  check.pattern(input.sourceArn, 'sourceArn', SOURCE_ARN_PATTERN);
  check.length(input.sourceAccount, 'sourceAccount', 0, 12).pattern(input.sourceAccount, 'sourceAccount', '\\d{12}');
  check.length(input.eventSourceToken, 'eventSourceToken', 0, 256).pattern(input.eventSourceToken, 'eventSourceToken', '[a-zA-Z0-9._\\-]+');
  checkQualifier(queryQualifier, check);
  check.length(input.principalOrgId, 'principalOrgID', 12, 34).pattern(input.principalOrgId, 'principalOrgID', '^o-[a-z0-9]{10,32}$');
  check.oneOf(input.functionUrlAuthType, 'functionUrlAuthType', ['NONE', 'AWS_IAM']);
  check.throwIfFailed();
  return input as PermissionInput;
}

async function addPermission(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const scope = scopeOf(req);
  const queryQualifier = req.query.get('Qualifier');
  const input = readPermissionInput(body, queryQualifier);
  const revisionId = optionalString(body, 'RevisionId');
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', queryQualifier, scope, 'AddPermission');
  if (ref.qualifier === '$LATEST') throw errors.policyOnLatest();
  if (!(await deps.functions.getFunction(scope, ref.name))) {
    throw errors.functionNotFound(functionArn(scope.region, scope.accountId, ref.name));
  }
  return deps.lock.run(functionLockKey(scope, ref.name), async () => {
    const target = await resolveTarget(deps, scope, ref.name, ref.qualifier);
    if (revisionId !== undefined && revisionId !== (await target.revisionId())) throw errors.revisionMismatch('GetPolicy');
    const statements = (await readPolicy(deps.db, scope, ref.name, target.qualifier))?.statements ?? [];
    if (statements.some((s) => s.Sid === input.statementId)) throw errors.statementIdExists(input.statementId);
    const statement = buildStatement(input, target.arn);
    const updated = [...statements, statement];
    const size = Buffer.byteLength(policyDocument(updated));
    if (size > limits.POLICY_MAX_BYTES) throw errors.policyTooLarge(size, limits.POLICY_MAX_BYTES);
    await savePolicy(deps, target, updated);
    return jsonResponse(201, { Statement: JSON.stringify(statement) });
  });
}

async function getPolicy(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const queryQualifier = req.query.get('Qualifier');
  const check = new ConstraintCheck();
  checkQualifier(queryQualifier, check);
  check.throwIfFailed();
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', queryQualifier, scope, 'GetPolicy');
  // AWS answers "does not exist" alike for a missing function, qualifier or policy.
  const policy = await readPolicy(deps.db, scope, ref.name, ref.qualifier);
  if (!policy || policy.statements.length === 0) throw errors.resourceNotFound();
  const target = await resolveTarget(deps, scope, ref.name, ref.qualifier).catch(() => undefined);
  const revisionId = (await target?.revisionId().catch(() => undefined)) ?? policy.revisionId;
  return jsonResponse(200, { Policy: policyDocument(policy.statements), RevisionId: revisionId });
}

async function removePermission(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const queryQualifier = req.query.get('Qualifier');
  const statementId = req.params.StatementId ?? '';
  const revisionId = req.query.get('RevisionId') ?? undefined;
  const check = new ConstraintCheck();
  check.length(statementId, 'statementId', 1, limits.STATEMENT_ID_MAX_CHARS).pattern(statementId, 'statementId', '([a-zA-Z0-9-_.]+)');
  checkQualifier(queryQualifier, check);
  check.throwIfFailed();
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', queryQualifier, scope, 'RemovePermission');
  if (!(await deps.functions.getFunction(scope, ref.name))) {
    throw errors.noPolicyForFunction(functionArn(scope.region, scope.accountId, ref.name));
  }
  return deps.lock.run(functionLockKey(scope, ref.name), async () => {
    const target = await resolveTarget(deps, scope, ref.name, ref.qualifier);
    const policy = await readPolicy(deps.db, scope, ref.name, target.qualifier);
    if (!policy || policy.statements.length === 0) throw errors.noPolicyForResource();
    if (!policy.statements.some((s) => s.Sid === statementId)) throw errors.statementNotFound(statementId);
    if (revisionId !== undefined && revisionId !== (await target.revisionId())) throw errors.revisionMismatch('GetPolicy');
    await savePolicy(deps, target, policy.statements.filter((s) => s.Sid !== statementId));
    return emptyResponse(204);
  });
}
