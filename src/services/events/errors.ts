import { AwsError } from '../../contracts/aws-error.js';

/**
 * Every error type the events API sends. EventBridge answers every client error with HTTP 400
 * (recorded AWS responses), `message` in the body; InternalException is the 500.
 */
export const EVENTS_ERRORS = {
  ValidationException: 400,
  ResourceNotFoundException: 400,
  ResourceAlreadyExistsException: 400,
  InvalidEventPatternException: 400,
  LimitExceededException: 400,
  ConcurrentModificationException: 400,
  ManagedRuleException: 400,
  UnknownOperationException: 400,
  IllegalStatusException: 400,
  SerializationException: 400,
  InternalException: 500,
} as const satisfies Record<string, number>;

export type EventsErrorCode = keyof typeof EVENTS_ERRORS;

export function eventsError(code: EventsErrorCode, message: string): AwsError {
  return new AwsError(code, EVENTS_ERRORS[code], message, { messageKey: 'message', type: null });
}

const validation = (message: string) => eventsError('ValidationException', message);

export const errors = {
  busNotFound: (name: string) => eventsError('ResourceNotFoundException', `Event bus ${name} does not exist.`),
  busExists: (name: string) => eventsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`),
  cannotDeleteDefaultBus: () => validation('Cannot delete event bus default.'),
  ruleNotFound: (rule: string, bus: string) => eventsError('ResourceNotFoundException', `Rule ${rule} does not exist on EventBus ${bus}.`),
  ruleHasTargets: () => validation("Rule can't be deleted since it has targets."),
  tooManyTargets: () => eventsError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.'),
  scheduleOnlyOnDefaultBus: () => validation('ScheduleExpression is supported only on the default event bus.'),
  invalidScheduleExpression: () => validation('Parameter ScheduleExpression is not valid.'),
  patternOrScheduleRequired: () => validation('Parameter(s) EventPattern or ScheduleExpression must be specified.'),
  invalidEventPattern: (reason: string) => eventsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`),
  invalidEvent: () => validation('Parameter Event is not valid.'),
  oneInputKind: (targetId: string) => validation(`Only one of Input, InputPath, or InputTransformer must be provided for target ${targetId}.`),
  invalidPlaceholder: (targetId: string, name: string) => validation(`InputTemplate for target ${targetId} contains invalid placeholder ${name}.`),
  invalidInputPath: (targetId: string) => validation(`Parameter InputPath is not valid for target ${targetId}.`),
  invalidInput: (targetId: string) => validation(`Parameter Input is not valid for target ${targetId}.`),
  invalidTargetArn: (arn: string) => validation(`Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`),
  entriesTooLarge: () => validation('Total size of the entries in the request is over the limit.'),
  resourceArnNotFound: (arn: string) => eventsError('ResourceNotFoundException', `Resource ${arn} does not exist.`),
  archiveNotFound: (name: string) => eventsError('ResourceNotFoundException', `Archive ${name} does not exist.`),
  archiveExists: (name: string) => eventsError('ResourceAlreadyExistsException', `Archive ${name} already exists.`),
  replayNotFound: (name: string) => eventsError('ResourceNotFoundException', `Replay ${name} does not exist.`),
  replayExists: (name: string) => eventsError('ResourceAlreadyExistsException', `Replay ${name} already exists.`),
  replayArchiveNotFound: (name: string) => validation(`Parameter EventSourceArn is not valid. Reason: Archive ${name} does not exist.`),
  replayNotBusArn: () => validation('Parameter Destination.Arn is not valid. Reason: Must contain an event bus ARN.'),
  crossBusReplay: () => validation('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.'),
  replayFilterNotOnBus: () => validation('Parameter Destination.FilterArns is not valid. Reason: Rule must be on the destination event bus.'),
  replayWindow: () => validation('Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.'),
  replayNotCancellable: (name: string) => eventsError('IllegalStatusException', `Replay ${name} is not in a valid state for this operation.`),
  oneListFilter: (operation: string) => validation(`At most one filter is allowed for ${operation}. Use either : State, EventSourceArn, or NamePrefix.`),
  invalidSourceArn: () => validation('Parameter EventSourceArn is not valid. Reason: Provided Arn is not in correct format.'),
  invalidPolicyJson: () => validation('This policy contains invalid Json'),
  principalRequired: () => validation('Parameter Principal must be specified.'),
  conditionNeedsAnyPrincipal: () => validation("Value of the parameter 'principal' must be '*' when the parameter 'condition' is set."),
  actionNotSupported: () => validation("Provided value in parameter 'action' is not supported."),
  busHasNoPolicy: () => eventsError('ResourceNotFoundException', 'EventBus does not have a policy.'),
  statementNotFound: () => eventsError('ResourceNotFoundException', 'Statement with the provided id does not exist.'),
  connectionNotFound: (name: string) => eventsError('ResourceNotFoundException', `Failed to describe the connection(s). Connection '${name}' does not exist.`),
  connectionExists: (name: string) => eventsError('ResourceAlreadyExistsException', `Connection ${name} already exists.`),
  apiDestinationNotFound: (name: string) => eventsError('ResourceNotFoundException', `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`),
  apiDestinationExists: (name: string) => eventsError('ResourceAlreadyExistsException', `An api-destination ${name} already exists.`),
  authParametersMismatch: (type: string, member: string) => validation(`AuthParameters must contain ${member} for AuthorizationType ${type}.`),
  invalidConnectionArn: () => validation('Parameter ConnectionArn is not valid. Reason: Provided Arn is not in correct format.'),
  /** The model's constraint messages, as AWS's request validator words them. */
  constraint: (failures: string[]) =>
    validation(`${failures.length} validation error${failures.length === 1 ? '' : 's'} detected: ${failures.join('; ')}`),
};
