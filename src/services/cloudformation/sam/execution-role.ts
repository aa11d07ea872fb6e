import { InvalidResourceError } from './errors.js';
import { managedPolicyArn } from './managed-policies.js';
import { expandPolicyTemplate, isPolicyTemplate } from './policy-templates.js';
import { isIntrinsic, isIntrinsicIf, isNoValue, isObject, compact, type CfnResource, type JsonObject } from './template-model.js';

export const LAMBDA_ASSUME_ROLE_POLICY: JsonObject = {
  Version: '2012-10-17',
  Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] } }],
};

type PolicyKind = 'managed' | 'statement' | 'template' | 'unknown';

function policyKind(policy: unknown): PolicyKind {
  if (typeof policy === 'string') return 'managed';
  if (isIntrinsicIf(policy)) {
    const [, whenTrue, whenFalse] = policy['Fn::If'];
    const trueKind = policyKind(whenTrue);
    const falseKind = policyKind(whenFalse);
    if (trueKind === falseKind) return trueKind;
    if (isNoValue(whenTrue)) return falseKind;
    if (isNoValue(whenFalse)) return trueKind;
    throw new Error(
      'Structure of the SAM template is invalid. Different policy types within the same Fn::If statement is unsupported. Separate different policy types into different Fn::If statements',
    );
  }
  if (isIntrinsic(policy)) return 'managed';
  if (isObject(policy) && 'Statement' in policy) return 'statement';
  if (isPolicyTemplate(policy)) return 'template';
  return 'unknown';
}

/** Both branches of an Fn::If mapped by `convert`, leaving AWS::NoValue (and what `keep` rejects) alone. */
function mapIf(value: { 'Fn::If': [unknown, unknown, unknown] }, keep: (branch: unknown) => boolean, convert: (branch: unknown) => unknown): JsonObject {
  const [condition, whenTrue, whenFalse] = value['Fn::If'];
  return { 'Fn::If': [condition, keep(whenTrue) ? convert(whenTrue) : whenTrue, keep(whenFalse) ? convert(whenFalse) : whenFalse] };
}

export interface RoleInput {
  logicalId: string;
  partition: string;
  /** The function's `Policies` (a name, a document, a template or a list of them). */
  policies: unknown;
  /** Managed policy ARNs SAM attaches before the user's (basic execution, X-Ray, VPC access). */
  managedPolicyArns: unknown[];
  /** Policy documents SAM adds itself (events, dead-letter queue, destinations), already named. */
  extraPolicies: JsonObject[];
  assumeRolePolicyDocument?: unknown;
  path?: unknown;
  permissionsBoundary?: unknown;
  tags: unknown[];
  attributes: JsonObject;
}

/**
 * The `<Id>Role` execution role samtranslator writes for a function: the trust policy, SAM's managed
 * policies then the user's (deduplicated), each inline statement as `<Id>RolePolicy<index>` where the
 * index counts every entry of `Policies`, after the ones SAM adds first (dead-letter queue, destinations).
 */
export function executionRole(input: RoleInput): { logicalId: string; resource: CfnResource; policies: JsonObject[] } {
  const roleId = `${input.logicalId}Role`;
  const managed = [...input.managedPolicyArns];
  const documents: JsonObject[] = [...input.extraPolicies];
  const entries = input.policies === undefined || input.policies === null || input.policies === '' ? [] : Array.isArray(input.policies) ? input.policies : [input.policies];
  entries.forEach((entry, index) => {
    const name = `${roleId}Policy${index}`;
    let policy = entry;
    let kind = policyKind(policy);
    if (kind === 'template') {
      policy = isIntrinsicIf(policy)
        ? mapIf(policy, (branch) => !isNoValue(branch), (branch) => expandPolicyTemplate(input.logicalId, branch as JsonObject, input.partition))
        : expandPolicyTemplate(input.logicalId, policy as JsonObject, input.partition);
      kind = 'statement';
    }
    if (kind === 'statement') {
      documents.push(
        isIntrinsicIf(policy)
          ? mapIf(policy, (branch) => !isNoValue(branch), (branch) => ({ PolicyName: name, PolicyDocument: branch }))
          : { PolicyName: name, PolicyDocument: policy },
      );
    } else if (kind === 'managed') {
      let arn: unknown = policy;
      if (typeof arn === 'string') arn = managedPolicyArn(input.partition, arn);
      else if (isIntrinsicIf(arn)) {
        arn = mapIf(arn, (branch) => typeof branch === 'string', (branch) => managedPolicyArn(input.partition, branch as string));
      }
      if (!managed.some((existing) => JSON.stringify(existing) === JSON.stringify(arn))) managed.push(arn);
    } else {
      throw new InvalidResourceError(input.logicalId, `Policy at index ${index} in the 'Policies' property is not valid`);
    }
  });
  const properties = compact({
    AssumeRolePolicyDocument: input.assumeRolePolicyDocument ?? LAMBDA_ASSUME_ROLE_POLICY,
    ManagedPolicyArns: managed,
    Policies: documents.length > 0 ? documents : undefined,
    Path: input.path,
    PermissionsBoundary: input.permissionsBoundary,
    Tags: input.tags,
  });
  return { logicalId: roleId, resource: { Type: 'AWS::IAM::Role', Properties: properties, ...input.attributes }, policies: documents };
}
