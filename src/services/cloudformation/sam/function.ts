import { InvalidResourceError } from './errors.js';
import { executionRole } from './execution-role.js';
import { awsManagedPolicyArn } from './managed-policies.js';
import { s3Location } from './code-location.js';
import { samTagList } from './tags.js';
import { getAtt, isIntrinsicIf, isNoValue, isObject, type CfnResource, type JsonObject, type TransformContext } from './template-model.js';
import type { ExpansionScope } from './expansion-scope.js';
import { inheritedAttributes, ownAttributes } from './resource-attributes.js';

/** Properties of AWS::Serverless::Function copied to AWS::Lambda::Function under the same name. */
const COPIED_PROPERTIES = [
  'FunctionName', 'Handler', 'Runtime', 'Description', 'MemorySize', 'Timeout', 'VpcConfig', 'Role', 'Environment',
  'KmsKeyArn', 'ReservedConcurrentExecutions', 'Layers', 'FileSystemConfigs', 'ImageConfig', 'PackageType',
  'Architectures', 'SnapStart', 'EphemeralStorage', 'CodeSigningConfigArn', 'RuntimeManagementConfig',
  'LoggingConfig', 'TenancyConfig', 'RecursiveLoop', 'DurableConfig', 'FunctionScalingConfig',
] as const;

const DEAD_LETTER_ACTIONS: Readonly<Record<string, string>> = { SQS: 'sqs:SendMessage', SNS: 'sns:Publish' };

function functionCode(logicalId: string, properties: JsonObject): JsonObject {
  const packageType = properties.PackageType ?? 'Zip';
  if (packageType !== 'Zip' && packageType !== 'Image') {
    throw new InvalidResourceError(logicalId, `invalid 'PackageType' : ${String(packageType)}`);
  }
  let code: JsonObject;
  if (packageType === 'Image') {
    if (properties.ImageUri === undefined) throw new InvalidResourceError(logicalId, "'ImageUri' must be set.");
    code = { ImageUri: properties.ImageUri };
  } else if (properties.InlineCode !== undefined) {
    code = { ZipFile: properties.InlineCode };
  } else if (properties.CodeUri !== undefined) {
    code = s3Location(properties.CodeUri, logicalId, 'CodeUri');
  } else {
    throw new InvalidResourceError(logicalId, "Only one of 'InlineCode' or 'CodeUri' can be set.");
  }
  if (properties.SourceKMSKeyArn !== undefined && packageType === 'Zip') code.SourceKMSKeyArn = properties.SourceKMSKeyArn;
  return code;
}

function checkPackageType(logicalId: string, lambda: JsonObject): void {
  const code = lambda.Code as JsonObject;
  if ((lambda.PackageType ?? 'Zip') === 'Zip') {
    if (!lambda.Runtime || !lambda.Handler) {
      throw new InvalidResourceError(logicalId, 'Runtime and Handler needs to be present when PackageType is of type `Zip`');
    }
    if (code.ImageUri || lambda.ImageConfig) {
      throw new InvalidResourceError(logicalId, 'ImageUri or ImageConfig cannot be present when PackageType is of type `Zip`');
    }
  } else if (lambda.Handler || lambda.Runtime || lambda.Layers) {
    throw new InvalidResourceError(logicalId, 'Runtime, Handler, Layers cannot be present when PackageType is of type `Image`');
  }
}

function checkDeadLetterQueue(logicalId: string, dlq: unknown): asserts dlq is JsonObject {
  if (!isObject(dlq) || !dlq.Type || !dlq.TargetArn) {
    throw new InvalidResourceError(logicalId, "'DeadLetterQueue' requires Type and TargetArn properties to be specified.");
  }
  if (typeof dlq.Type !== 'string' || !(dlq.Type in DEAD_LETTER_ACTIONS)) {
    throw new InvalidResourceError(logicalId, "'DeadLetterQueue' requires Type of ['SQS', 'SNS']");
  }
}

/** Whether `Tracing` turns X-Ray on (`Disabled` is the same as leaving it out). */
const tracingOn = (tracing: unknown): boolean => tracing !== undefined && tracing !== null && tracing !== '' && tracing !== 'Disabled';

/**
 * AWS::Serverless::Function → AWS::Lambda::Function (same logical id) and, unless `Role` names
 * one, the `<Id>Role` execution role. Versions, aliases, URLs, destinations and events are added
 * by the modules that own them, through `scope`.
 */
export function expandFunctionCore(scope: ExpansionScope, logicalId: string, resource: CfnResource): FunctionCore {
  const properties = resource.Properties ?? {};
  const ctx = scope.context;
  if (properties.DeadLetterQueue !== undefined) checkDeadLetterQueue(logicalId, properties.DeadLetterQueue);

  const lambda: JsonObject = {};
  for (const name of COPIED_PROPERTIES) if (properties[name] !== undefined) lambda[name] = properties[name];
  lambda.Code = functionCode(logicalId, properties);
  lambda.Tags = samTagList(logicalId, properties.Tags);
  if (tracingOn(properties.Tracing)) lambda.TracingConfig = { Mode: properties.Tracing };
  if (properties.DeadLetterQueue !== undefined) lambda.DeadLetterConfig = { TargetArn: (properties.DeadLetterQueue as JsonObject).TargetArn };
  if (properties.PublishToLatestPublished !== undefined) lambda.PublishToLatestPublished = properties.PublishToLatestPublished;
  checkPackageType(logicalId, lambda);

  const functionResource: CfnResource = { Type: 'AWS::Lambda::Function', Properties: lambda, ...ownAttributes(resource) };
  return { logicalId, properties, functionResource, lambda, context: ctx, inherited: inheritedAttributes(resource) };
}

export interface FunctionCore {
  logicalId: string;
  /** The SAM properties after Globals. */
  properties: JsonObject;
  functionResource: CfnResource;
  /** functionResource.Properties, typed for editing. */
  lambda: JsonObject;
  context: TransformContext;
  /** Condition/DeletionPolicy/UpdateReplacePolicy every generated child carries. */
  inherited: JsonObject;
}

/** The execution role, built after destinations so their policies can be added to it. */
export function functionRole(core: FunctionCore, destinationPolicies: JsonObject[]): { logicalId: string; resource: CfnResource } {
  const { properties, context } = core;
  const managed: unknown[] = [
    awsManagedPolicyArn(context.partition, properties.DurableConfig ? 'service-role/AWSLambdaBasicDurableExecutionRolePolicy' : 'service-role/AWSLambdaBasicExecutionRole'),
  ];
  if (tracingOn(properties.Tracing)) managed.push(awsManagedPolicyArn(context.partition, 'AWSXrayWriteOnlyAccess'));
  if (properties.VpcConfig) managed.push(awsManagedPolicyArn(context.partition, 'service-role/AWSLambdaVPCAccessExecutionRole'));
  const extra: JsonObject[] = [];
  const dlq = properties.DeadLetterQueue as JsonObject | undefined;
  if (dlq) {
    extra.push({
      PolicyName: 'DeadLetterQueuePolicy',
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: DEAD_LETTER_ACTIONS[dlq.Type as string], Resource: dlq.TargetArn, Effect: 'Allow' }] },
    });
  }
  extra.push(...destinationPolicies);
  return executionRole({
    logicalId: core.logicalId,
    partition: context.partition,
    policies: properties.Policies,
    managedPolicyArns: managed,
    extraPolicies: extra,
    assumeRolePolicyDocument: properties.AssumeRolePolicyDocument,
    path: properties.RolePath,
    permissionsBoundary: properties.PermissionsBoundary,
    tags: samTagList(core.logicalId, properties.Tags),
    attributes: core.inherited,
  });
}

/**
 * Where the function's role comes from: the generated one (no `Role`), the user's, or an Fn::If
 * choosing between them, in which case the generated role gets the branch's condition.
 */
export function attachRole(
  scope: ExpansionScope,
  core: FunctionCore,
  role: { logicalId: string; resource: CfnResource },
): boolean {
  const userRole = core.lambda.Role;
  const generatedArn = getAtt(role.logicalId, 'Arn');
  if (userRole === undefined) {
    core.lambda.Role = generatedArn;
    return true;
  }
  if (!isIntrinsicIf(userRole)) return false;
  const [condition, whenTrue, whenFalse] = userRole['Fn::If'];
  if (isNoValue(whenTrue) && isNoValue(whenFalse)) {
    core.lambda.Role = generatedArn;
    return true;
  }
  if (isNoValue(whenTrue)) {
    core.lambda.Role = { 'Fn::If': [condition, generatedArn, whenFalse] };
    role.resource.Condition = condition;
    return true;
  }
  if (isNoValue(whenFalse)) {
    core.lambda.Role = { 'Fn::If': [condition, whenTrue, generatedArn] };
    role.resource.Condition = `NOT${String(condition)}`;
    scope.addCondition(`NOT${String(condition)}`, { 'Fn::Not': [{ Condition: condition }] });
    return true;
  }
  return false;
}

