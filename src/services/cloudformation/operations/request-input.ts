import type { QueryParams } from '../../../protocols/query.js';
import { cfnErrors } from '../errors.js';
import { STACK_NAME_MAX_LENGTH, STACK_NAME_PATTERN } from '../limits.js';
import type { StackTag } from '../stack-doc.js';
import type { GivenParameter } from '../template/parameters.js';

/** Members CreateStack, UpdateStack and CreateChangeSet share, read from the query. */
export function givenParameters(params: QueryParams): GivenParameter[] {
  return params.structureList('Parameters').map((p) => ({
    key: p.get('ParameterKey') ?? '',
    value: p.get('ParameterValue'),
    usePreviousValue: p.get('UsePreviousValue') === 'true',
  }));
}

export function givenTags(params: QueryParams): StackTag[] | undefined {
  if (!params.hasUnder('Tags')) return undefined;
  return params.structureList('Tags').map((t) => ({ Key: t.get('Key') ?? '', Value: t.get('Value') ?? '' }));
}

export function requiredStackName(params: QueryParams, member = 'StackName'): string {
  const name = params.get(member);
  if (name === undefined || name === '') throw cfnErrors.missing(member.charAt(0).toLowerCase() + member.slice(1));
  return name;
}

/** A new stack's name against CloudFormation's pattern and length. */
export function checkNewStackName(name: string): void {
  if (name.length > STACK_NAME_MAX_LENGTH) {
    throw cfnErrors.validation(`1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must have length less than or equal to ${STACK_NAME_MAX_LENGTH}`);
  }
  if (!STACK_NAME_PATTERN.test(name)) {
    throw cfnErrors.validation(`1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`);
  }
}

export const bool = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : v === 'true');
