import { randomUUID } from 'node:crypto';
import type { CfnDeps, CfnRequest } from '../deps.js';
import { cfnErrors } from '../errors.js';
import { stackIdentity } from '../engine/scope.js';
import type { Stack } from '../tables/stacks.js';
import { loadTemplateBody } from '../template/load.js';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { resolveParameters, ssmParameterNames, type GivenParameter } from '../template/parameters.js';
import { parseTemplate, type TemplateObject } from '../template/parse.js';
import { planStack } from '../template/plan.js';
import { checkStructure, declaredTransforms, requiredIamCapability } from '../template/structure.js';
import { applyTransforms } from '../template/transform.js';

export interface PreparedTemplate {
  templateBody: string;
  /** After transforms. */
  template: TemplateObject;
  parameters: Record<string, string>;
  /** Values of the Parameter Store parameters SSM-typed parameters name, read for this operation. */
  ssmValues: Record<string, string>;
  description?: string;
}

export function newStackId(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudformation:${region}:${accountId}:stack/${name}/${randomUUID()}`;
}

/** The template's text: TemplateBody, TemplateURL, or (UsePreviousTemplate) the stack's. */
export async function templateText(deps: CfnDeps, req: CfnRequest, previous?: Stack): Promise<string> {
  if (req.params.get('UsePreviousTemplate') === 'true') {
    if (!previous) throw cfnErrors.validation('UsePreviousTemplate can only be used for an existing stack');
    return previous.doc.templateBody;
  }
  return loadTemplateBody(req.params.get('TemplateBody'), req.params.get('TemplateURL'), () => deps.clients(req.ctx.accountId, req.ctx.region));
}

/**
 * Everything CloudFormation checks before it accepts a stack operation: the template's shape,
 * its transforms, the capabilities it needs, the parameters and the dependency graph.
 */
export async function prepareTemplate(
  deps: CfnDeps,
  body: string,
  given: GivenParameter[],
  capabilities: string[],
  stack: { stackName: string; stackId: string; accountId: string; region: string; notificationArns: string[] },
  options: { previousParameters?: Record<string, string>; transformNeedsCapability: boolean },
): Promise<PreparedTemplate> {
  const original = parseTemplate(body);
  const transforms = declaredTransforms(original);
  if (transforms.length > 0 && options.transformNeedsCapability && !capabilities.includes('CAPABILITY_AUTO_EXPAND')) {
    throw cfnErrors.insufficientCapabilities('CAPABILITY_AUTO_EXPAND');
  }
  const template = applyTransforms(original, { region: stack.region, accountId: stack.accountId, stackName: stack.stackName });
  checkStructure(template);
  const iam = requiredIamCapability(template);
  if (iam === 'CAPABILITY_NAMED_IAM' && !capabilities.includes(iam)) throw cfnErrors.insufficientCapabilities(iam);
  if (iam === 'CAPABILITY_IAM' && !capabilities.includes(iam) && !capabilities.includes('CAPABILITY_NAMED_IAM')) throw cfnErrors.insufficientCapabilities(iam);
  const declared = template.Parameters as TemplateObject | undefined;
  const ssmValues = await readSsmParameters(deps, stack.accountId, stack.region, ssmParameterNames(declared, given, options.previousParameters));
  const { values, raw } = resolveParameters(declared, given, options.previousParameters, (name) => ssmValues[name]);
  const fake = { stack_id: stack.stackId, stack_name: stack.stackName, account_id: stack.accountId, region: stack.region, doc: { notificationArns: stack.notificationArns } } as unknown as Stack;
  planStack(template, values, stackIdentity(fake));
  return { templateBody: body, template, parameters: raw, ssmValues, description: typeof template.Description === 'string' ? template.Description : undefined };
}

/** Parameter Store values by name, through the SSM API (names it does not have are left out). */
async function readSsmParameters(deps: CfnDeps, accountId: string, region: string, names: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const clients = names.length > 0 ? await deps.clients(accountId, region) : undefined;
  for (let i = 0; i < names.length; i += 10) {
    const got = await clients!.ssm.send(new GetParametersCommand({ Names: names.slice(i, i + 10) }));
    for (const p of got.Parameters ?? []) if (p.Name && p.Value !== undefined) out[p.Name] = p.Value;
  }
  return out;
}
