import { AwsError } from '../../contracts/aws-error.js';

/** Every error CloudFormation sends (query-protocol codes), as AWS words them. */
const sender = (code: string, status: number, message: string) => new AwsError(code, status, message);

export const cfnErrors = {
  invalidAction: (action: string) => sender('InvalidAction', 400, `Could not find operation ${action} for version 2010-05-15`),
  missingAction: () => sender('MissingAction', 400, 'Missing Action'),
  requestTooLarge: (limit: number) => sender('RequestEntityTooLarge', 413, `Request must be smaller than ${limit} bytes`),
  accessDenied: (message: string) => sender('AccessDenied', 403, message),

  /** Most of CloudFormation's refusals: bad templates, parameters, states, names. */
  validation: (message: string) => sender('ValidationError', 400, message),
  missing: (member: string) =>
    sender('ValidationError', 400, `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`),
  stackNotFound: (nameOrId: string) => sender('ValidationError', 400, `Stack with id ${nameOrId} does not exist`),
  stackExists: (name: string) => sender('AlreadyExistsException', 400, `Stack [${name}] already exists`),
  changeSetExists: (name: string) => sender('AlreadyExistsException', 400, `ChangeSet ${name} already exists`),
  changeSetNotFound: (name: string) => sender('ChangeSetNotFound', 404, `ChangeSet [${name}] does not exist`),
  insufficientCapabilities: (capability: string) => sender('InsufficientCapabilitiesException', 400, `Requires capabilities : [${capability}]`),
  noUpdates: () => sender('ValidationError', 400, 'No updates are to be performed.'),
  notUpdatable: (stackId: string, status: string) => sender('ValidationError', 400, `Stack:${stackId} is in ${status} state and can not be updated.`),
  terminationProtected: (name: string) =>
    sender('ValidationError', 400, `Stack [${name}] cannot be deleted while TerminationProtection is enabled`),
  invalidChangeSetStatus: (message: string) => sender('InvalidChangeSetStatus', 400, message),
  tokenAlreadyExists: () => sender('TokenAlreadyExistsException', 400, 'Another operation with the same client request token is in progress'),
  exportNotFound: (name: string) => sender('ValidationError', 400, `No export named ${name} found.`),
};

/** A resource provider's failure: its message becomes the resource's `CREATE_FAILED` reason. */
export class ResourceFailure extends Error {}
