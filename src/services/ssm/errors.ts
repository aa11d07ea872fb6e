import { AwsError } from '../../contracts/aws-error.js';

/**
 * Every error type the Parameter Store operations send: client errors are 400 with `message` in
 * the body and `__type` the bare code. ParameterNotFound from GetParameter and DeleteParameter
 * carries an empty message, as AWS sends it.
 */
export const SSM_ERRORS = {
  ParameterNotFound: 400,
  ParameterVersionNotFound: 400,
  ParameterAlreadyExists: 400,
  ParameterLimitExceeded: 400,
  ParameterMaxVersionLimitExceeded: 400,
  ParameterPatternMismatchException: 400,
  InvalidAllowedPatternException: 400,
  HierarchyLevelLimitExceededException: 400,
  HierarchyTypeMismatchException: 400,
  UnsupportedParameterType: 400,
  InvalidFilterKey: 400,
  InvalidFilterOption: 400,
  InvalidFilterValue: 400,
  InvalidNextToken: 400,
  InvalidResourceType: 400,
  InvalidResourceId: 400,
  TooManyTagsError: 400,
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  InternalServerError: 500,
} as const satisfies Record<string, number>;

export type SsmErrorCode = keyof typeof SSM_ERRORS;

export function ssmError(code: SsmErrorCode, message: string): AwsError {
  return new AwsError(code, SSM_ERRORS[code], message, { messageKey: 'message', type: null });
}

const validation = (message: string) => ssmError('ValidationException', message);

export const errors = {
  parameterNotFound: (message = '') => ssmError('ParameterNotFound', message),
  versionNotFound: (name: string, version: string) =>
    ssmError('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`),
  alreadyExists: () => ssmError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.'),
  maxVersions: (name: string) =>
    ssmError(
      'ParameterMaxVersionLimitExceeded',
      `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version 100, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
    ),
  patternMismatch: (pattern: string) => ssmError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`),
  invalidPattern: () => ssmError('InvalidAllowedPatternException', 'The allowed pattern is not a valid regular expression.'),
  hierarchyTooDeep: () =>
    ssmError('HierarchyLevelLimitExceededException', 'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.'),
  typeChange: () =>
    ssmError('HierarchyTypeMismatchException', 'The parameter type cannot be changed when the parameter is overwritten. Instead, create a new parameter with the desired type.'),
  unsupportedType: (type: string) => ssmError('UnsupportedParameterType', `${type} is not a valid parameter type.`),
  typeRequired: () => validation('A parameter type is required when you create a parameter.'),
  tagsWithOverwrite: () =>
    validation(
      'Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.',
    ),
  invalidName: () =>
    validation(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
    ),
  invalidPath: () =>
    validation(
      'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.',
    ),
  standardValueTooLong: () =>
    validation(
      'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
    ),
  valueTooLong: () => validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to 8192."),
  constraint: (member: string, value: unknown, constraint: string) =>
    validation(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`),
  invalidNextToken: () => ssmError('InvalidNextToken', 'The specified token isn\'t valid.'),
  invalidFilterKey: (key: string) => ssmError('InvalidFilterKey', `The following filter key is not valid: ${key}. Valid filter keys include: [Type, KeyId, Label].`),
  invalidFilterOption: (option: string, key: string) => ssmError('InvalidFilterOption', `The filter option ${option} is not valid for the key ${key}.`),
  invalidFilterValue: (message: string) => ssmError('InvalidFilterValue', message),
  invalidResourceType: () => ssmError('InvalidResourceType', 'The resource type is not valid. Valid resource types are: ManagedInstance, MaintenanceWindow, Parameter, PatchBaseline, OpsItem, OpsMetadata, Document, Automation, Association.'),
  invalidResourceId: () => ssmError('InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.'),
  tooManyTags: () => ssmError('TooManyTagsError', 'The Tags parameter exceeds the limit of 50 tags.'),
  validation,
  serialization: (message: string) => ssmError('SerializationException', message),
  unknownOperation: (operation: string) => ssmError('UnknownOperationException', `Unknown operation ${operation}`),
};
