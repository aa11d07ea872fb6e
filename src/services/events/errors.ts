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
  /** The model's constraint messages, as AWS's request validator words them. */
  constraint: (failures: string[]) =>
    validation(`${failures.length} validation error${failures.length === 1 ? '' : 's'} detected: ${failures.join('; ')}`),
};
