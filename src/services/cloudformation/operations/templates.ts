import type { CfnOperation } from '../deps.js';
import { cfnErrors } from '../errors.js';
import { parseTemplate, type TemplateObject } from '../template/parse.js';
import { checkStructure, declaredTransforms, requiredIamCapability } from '../template/structure.js';
import { applyTransforms } from '../template/transform.js';
import { templateText } from './prepare.js';
import { findStack } from './stacks.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function capabilityFields(template: TemplateObject, original: TemplateObject) {
  const caps: string[] = [];
  const iam = requiredIamCapability(template);
  if (iam) caps.push(iam);
  if (declaredTransforms(original).length > 0) caps.push('CAPABILITY_AUTO_EXPAND');
  const reason = iam ? `The following resource(s) require capabilities: [${[...new Set(Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type).filter((t) => t.startsWith('AWS::IAM::')))].join(', ')}]` : undefined;
  return { Capabilities: caps, CapabilitiesReason: reason };
}

function parameterDeclarations(template: TemplateObject) {
  return Object.entries(isObject(template.Parameters) ? template.Parameters : {}).map(([key, spec]) => {
    const s = isObject(spec) ? spec : {};
    return {
      ParameterKey: key,
      DefaultValue: s.Default === undefined ? undefined : String(s.Default),
      ParameterType: String(s.Type ?? 'String'),
      NoEcho: s.NoEcho === true || s.NoEcho === 'true',
      Description: s.Description === undefined ? undefined : String(s.Description),
      ParameterConstraints: Array.isArray(s.AllowedValues) ? { AllowedValues: s.AllowedValues.map(String) } : {},
    };
  });
}

function checked(body: string, ctx: { region: string; accountId: string }): { original: TemplateObject; template: TemplateObject } {
  const original = parseTemplate(body);
  const template = applyTransforms(original, { ...ctx, stackName: 'stack' });
  checkStructure(template);
  return { original, template };
}

const validateTemplate: CfnOperation = async (deps, req) => {
  const { original, template } = checked(await templateText(deps, req), req.ctx);
  return {
    Parameters: parameterDeclarations(template).map((p) => ({ ParameterKey: p.ParameterKey, DefaultValue: p.DefaultValue, NoEcho: p.NoEcho, Description: p.Description })),
    Description: typeof original.Description === 'string' ? original.Description : undefined,
    ...capabilityFields(template, original),
    DeclaredTransforms: declaredTransforms(original),
  };
};

const getTemplateSummary: CfnOperation = async (deps, req) => {
  const name = req.params.get('StackName');
  const body = name && !req.params.has('TemplateBody') && !req.params.has('TemplateURL') ? (await findStack(deps, req, name)).doc.templateBody : await templateText(deps, req);
  const { original, template } = checked(body, req.ctx);
  const resources = Object.entries(template.Resources as Record<string, { Type: string }>);
  return {
    Parameters: parameterDeclarations(template),
    Description: typeof original.Description === 'string' ? original.Description : undefined,
    ...capabilityFields(template, original),
    ResourceTypes: [...new Set(resources.map(([, r]) => r.Type))],
    Version: String(original.AWSTemplateFormatVersion ?? '2010-09-09'),
    Metadata: original.Metadata === undefined ? undefined : JSON.stringify(original.Metadata),
    DeclaredTransforms: declaredTransforms(original),
    ResourceIdentifierSummaries: [],
  };
};

const getTemplate: CfnOperation = async (deps, req) => {
  const name = req.params.get('StackName');
  const changeSetName = req.params.get('ChangeSetName');
  if (!name && !changeSetName) throw cfnErrors.validation('Either StackName or ChangeSetName must be specified.');
  const stage = req.params.get('TemplateStage') ?? 'Original';
  let body: string;
  let processed: TemplateObject;
  if (changeSetName) {
    const cs = changeSetName.startsWith('arn:') ? await deps.changeSets.byId(changeSetName) : name ? await deps.changeSets.byName((await findStack(deps, req, name)).stack_id, changeSetName) : undefined;
    if (!cs) throw cfnErrors.changeSetNotFound(changeSetName);
    body = cs.doc.templateBody;
    processed = cs.doc.template;
  } else {
    const stack = await findStack(deps, req, name!);
    body = stack.doc.templateBody;
    processed = stack.doc.template;
  }
  // A stack still in REVIEW_IN_PROGRESS (created by a CREATE change set not yet executed) has no
  // template: AWS answers without a TemplateBody, and the CDK reads the stack this way before it executes.
  if (body === '') return { StagesAvailable: ['Original', 'Processed'] };
  const transformed = declaredTransforms(parseTemplate(body)).length > 0;
  return {
    TemplateBody: stage === 'Processed' ? JSON.stringify(processed) : body,
    StagesAvailable: transformed ? ['Original', 'Processed'] : ['Original', 'Processed'],
  };
};

export const templateOperations: Record<string, CfnOperation> = {
  ValidateTemplate: validateTemplate,
  GetTemplateSummary: getTemplateSummary,
  GetTemplate: getTemplate,
};
