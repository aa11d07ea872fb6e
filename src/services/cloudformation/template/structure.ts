import { cfnErrors } from '../errors.js';
import type { TemplateObject } from './parse.js';

const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs', 'Hooks']);
const FUNCTIONS = [
  'Fn::Base64', 'Fn::Cidr', 'Fn::FindInMap', 'Fn::GetAtt', 'Fn::GetAZs', 'Fn::ImportValue', 'Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::Sub',
  'Fn::Transform', 'Fn::If', 'Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Fn::Length', 'Fn::ToJsonString', 'Ref', 'Condition',
];
const RESOURCE_TYPE = /^(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+(::[A-Za-z0-9]+)?|Custom::[A-Za-z0-9_@-]+|Alexa::ASK::Skill|[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+(::MODULE)?)$/;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The checks CloudFormation makes on a template's shape before it looks at any value. */
export function checkStructure(template: TemplateObject): void {
  const extra = Object.keys(template).filter((k) => !SECTIONS.has(k));
  if (extra.length > 0) throw cfnErrors.validation(`Template format error: Invalid template property or properties [${extra.join(', ')}]`);
  const version = template.AWSTemplateFormatVersion;
  if (version !== undefined && String(version) !== '2010-09-09' && !(version instanceof Date)) {
    throw cfnErrors.validation(`Template format error: Unsupported template version ${String(version)}`);
  }
  if (!isObject(template.Resources) || Object.keys(template.Resources).length === 0) {
    throw cfnErrors.validation('Template format error: At least one Resources member must be defined.');
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!LOGICAL_ID.test(id)) throw cfnErrors.validation(`Template format error: Resource name ${id} is non alphanumeric.`);
    if (!isObject(resource) || typeof resource.Type !== 'string') {
      throw cfnErrors.validation(`Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`);
    }
  }
  const unrecognized = Object.values(template.Resources)
    .map((r) => String((r as Record<string, unknown>).Type))
    .filter((t) => !RESOURCE_TYPE.test(t));
  if (unrecognized.length > 0) throw cfnErrors.validation(`Template format error: Unrecognized resource types: [${[...new Set(unrecognized)].join(', ')}]`);
  if (template.Outputs !== undefined && !isObject(template.Outputs)) throw cfnErrors.validation('Template format error: Every Outputs member must be an object');
  for (const [id, output] of Object.entries(isObject(template.Outputs) ? template.Outputs : {})) {
    if (!isObject(output) || output.Value === undefined) {
      throw cfnErrors.validation(`Template format error: Every Outputs member must contain a Value object, the Outputs member ${id} is invalid.`);
    }
  }
  checkFunctions(template.Resources);
  checkFunctions(template.Outputs);
  checkFunctions(template.Conditions);
}

/** An unknown `Fn::` anywhere is refused before anything is created. */
function checkFunctions(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(checkFunctions);
  if (!isObject(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0]!.startsWith('Fn::') && !FUNCTIONS.includes(keys[0]!)) {
    throw cfnErrors.validation(`Template format error: Encountered unsupported function: ${keys[0]} Supported functions are: [${FUNCTIONS.join(', ')}]`);
  }
  for (const v of Object.values(value)) checkFunctions(v);
}

/** Types that need CAPABILITY_IAM, and the name properties that make them need CAPABILITY_NAMED_IAM. */
const IAM_TYPES: Record<string, string | undefined> = {
  'AWS::IAM::Role': 'RoleName', 'AWS::IAM::ManagedPolicy': 'ManagedPolicyName', 'AWS::IAM::User': 'UserName', 'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName', 'AWS::IAM::Policy': undefined, 'AWS::IAM::AccessKey': undefined, 'AWS::IAM::UserToGroupAddition': undefined,
};

/** The IAM capability a template needs (`CAPABILITY_NAMED_IAM` over `CAPABILITY_IAM`), if any. */
export function requiredIamCapability(template: TemplateObject): 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined {
  let need: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined;
  for (const r of Object.values(isObject(template.Resources) ? template.Resources : {})) {
    if (!isObject(r) || typeof r.Type !== 'string' || !(r.Type in IAM_TYPES)) continue;
    const nameProp = IAM_TYPES[r.Type];
    if (nameProp && isObject(r.Properties) && r.Properties[nameProp] !== undefined) return 'CAPABILITY_NAMED_IAM';
    need = 'CAPABILITY_IAM';
  }
  return need;
}

/** The transforms a template declares (`Transform: X` or a list). */
export function declaredTransforms(template: TemplateObject): string[] {
  const t = template.Transform;
  if (t === undefined || t === null) return [];
  return (Array.isArray(t) ? t : [t]).map((x) => (isObject(x) ? String(x.Name) : String(x)));
}
