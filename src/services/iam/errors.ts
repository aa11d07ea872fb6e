import { AwsError } from '../../contracts/aws-error.js';

/** Every error IAM and STS send (query-protocol codes), as AWS words them. */
const sender = (code: string, status: number, message: string) => new AwsError(code, status, message);

export const iamErrors = {
  invalidAction: (action: string) => sender('InvalidAction', 400, `Could not find operation ${action} for version 2010-05-08`),
  missingAction: () => sender('MissingAction', 400, 'Missing Action'),
  requestTooLarge: (limit: number) => sender('RequestEntityTooLarge', 413, `Request must be smaller than ${limit} bytes`),
  accessDenied: (message: string) => sender('AccessDenied', 403, message),

  noSuchRole: (name: string) => sender('NoSuchEntity', 404, `The role with name ${name} cannot be found.`),
  noSuchUser: (name: string) => sender('NoSuchEntity', 404, `The user with name ${name} cannot be found.`),
  noSuchRolePolicy: (policy: string) => sender('NoSuchEntity', 404, `The role policy with name ${policy} cannot be found.`),
  noSuchUserPolicy: (policy: string) => sender('NoSuchEntity', 404, `The user policy with name ${policy} cannot be found.`),
  noSuchPolicy: (arn: string) => sender('NoSuchEntity', 404, `Policy ${arn} does not exist or is not attachable.`),
  noSuchPolicyVersion: (arn: string, version: string) => sender('NoSuchEntity', 404, `Policy ${arn} version ${version} does not exist or is not attachable.`),
  notAttached: (arn: string) => sender('NoSuchEntity', 404, `Policy ${arn} was not found.`),
  noSuchAccessKey: (id: string) => sender('NoSuchEntity', 404, `The Access Key with id ${id} cannot be found.`),

  roleExists: (name: string) => sender('EntityAlreadyExists', 409, `Role with name ${name} already exists.`),
  userExists: (name: string) => sender('EntityAlreadyExists', 409, `User with name ${name} already exists.`),
  policyExists: (name: string) => sender('EntityAlreadyExists', 409, `A policy called ${name} already exists. Duplicate names are not allowed.`),

  malformedPolicy: (reason: string) => sender('MalformedPolicyDocument', 400, reason),
  deleteConflictAttached: () => sender('DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.'),
  deleteConflictInline: () => sender('DeleteConflict', 409, 'Cannot delete entity, must delete policies first.'),
  deleteConflictAccessKeys: () => sender('DeleteConflict', 409, 'Cannot delete entity, must delete access keys first.'),
  deleteConflictPolicyAttached: () => sender('DeleteConflict', 409, 'Cannot delete a policy attached to entities.'),
  deleteConflictDefaultVersion: () => sender('DeleteConflict', 409, 'Cannot delete the default version of a policy.'),
  deleteConflictVersions: () => sender('DeleteConflict', 409, 'This policy has more than one version. Before you delete a policy, you must delete the policy\'s versions. The default version is deleted with the policy.'),

  versionsLimit: () => sender('LimitExceeded', 409, 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.'),
  accessKeysLimit: () => sender('LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2'),
  attachedLimit: (kind: 'Role' | 'User') => sender('LimitExceeded', 409, `Cannot exceed quota for PoliciesPer${kind}: 20`),
  invalidArn: (arn: string) => sender('InvalidInput', 400, `ARN ${arn} is not valid.`),
  invalidInput: (message: string) => sender('InvalidInput', 400, message),

  /** The model's constraints, in the words of AWS's validation layer. */
  validation: (message: string) => sender('ValidationError', 400, message),
  missing: (member: string) => sender('ValidationError', 400, `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`),
  pattern: (value: string, member: string) =>
    sender('ValidationError', 400, `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`),
  length: (value: string, member: string, max: number) =>
    sender('ValidationError', 400, `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`),
};

export const stsErrors = {
  invalidAction: (action: string) => sender('InvalidAction', 400, `Could not find operation ${action} for version 2011-06-15`),
  missingAction: () => sender('MissingAction', 400, 'Missing Action'),
  requestTooLarge: (limit: number) => sender('RequestEntityTooLarge', 413, `Request must be smaller than ${limit} bytes`),
  accessDenied: (message: string) => sender('AccessDenied', 403, message),
  missing: (member: string) => sender('ValidationError', 400, `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`),
  validation: (message: string) => sender('ValidationError', 400, message),
  durationTooLong: () => sender('ValidationError', 400, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
  durationRange: (value: number, member: string, min: number, max: number) =>
    sender(
      'ValidationError',
      400,
      value < min
        ? `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`
        : `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    ),
  chainedDuration: () =>
    sender('ValidationError', 400, 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'),
  sessionNamePattern: (value: string) =>
    sender('ValidationError', 400, `1 validation error detected: Value '${value}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`),
};
