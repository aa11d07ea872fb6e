import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errors, EVENTS_ERRORS } from '../src/services/events/errors.js';

// Messages real AWS EventBridge returned, copied by hand into this file from the snapshots of
// LocalStack's AWS-validated events tests (tests/aws/services/events/*.snapshot.json, 2024–2025);
// no EventBridge recording is kept in this repository to compare with. All with HTTP 400.
const recorded: Array<[string, ReturnType<typeof errors.busNotFound>, string, string]> = [
  ['bus not found', errors.busNotFound('b'), 'ResourceNotFoundException', 'Event bus b does not exist.'],
  ['bus exists', errors.busExists('b'), 'ResourceAlreadyExistsException', 'Event bus b already exists.'],
  ['default bus', errors.cannotDeleteDefaultBus(), 'ValidationException', 'Cannot delete event bus default.'],
  ['rule not found', errors.ruleNotFound('r', 'default'), 'ResourceNotFoundException', 'Rule r does not exist on EventBus default.'],
  ['rule has targets', errors.ruleHasTargets(), 'ValidationException', "Rule can't be deleted since it has targets."],
  ['too many targets', errors.tooManyTargets(), 'LimitExceededException', 'The requested resource exceeds the maximum number allowed.'],
  ['schedule on custom bus', errors.scheduleOnlyOnDefaultBus(), 'ValidationException', 'ScheduleExpression is supported only on the default event bus.'],
  ['bad schedule', errors.invalidScheduleExpression(), 'ValidationException', 'Parameter ScheduleExpression is not valid.'],
  ['bad pattern', errors.invalidEventPattern('Empty arrays are not allowed'), 'InvalidEventPatternException', 'Event pattern is not valid. Reason: Empty arrays are not allowed'],
  ['bad event', errors.invalidEvent(), 'ValidationException', 'Parameter Event is not valid.'],
  ['input kinds', errors.oneInputKind('t'), 'ValidationException', 'Only one of Input, InputPath, or InputTransformer must be provided for target t.'],
  ['placeholder', errors.invalidPlaceholder('t', 'notdefinedkey'), 'ValidationException', 'InputTemplate for target t contains invalid placeholder notdefinedkey.'],
  ['entries too large', errors.entriesTooLarge(), 'ValidationException', 'Total size of the entries in the request is over the limit.'],
  [
    'constraint',
    errors.constraint(["Value 'second-invalid-target-id' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64"]),
    'ValidationException',
    "1 validation error detected: Value 'second-invalid-target-id' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64",
  ],
];

describe('events error catalogue against AWS messages copied from LocalStack snapshots into this file', () => {
  for (const [name, error, code, message] of recorded) {
    test(name, () => {
      assert.equal(error.code, code);
      assert.equal(error.message, message);
      assert.equal(error.status, 400);
    });
  }

  test('every client error is a 400, InternalException a 500', () => {
    for (const [code, status] of Object.entries(EVENTS_ERRORS)) assert.equal(status, code === 'InternalException' ? 500 : 400, code);
  });
});

// Archives, replays and bus permissions: the messages moto's EventBridge backend (moto/events/models.py,
// written against AWS) returns, copied by hand; not checked against a recording of AWS itself.
const fromMoto: Array<[string, ReturnType<typeof errors.busNotFound>, string, string]> = [
  ['archive not found', errors.archiveNotFound('a'), 'ResourceNotFoundException', 'Archive a does not exist.'],
  ['archive exists', errors.archiveExists('a'), 'ResourceAlreadyExistsException', 'Archive a already exists.'],
  ['replay exists', errors.replayExists('r'), 'ResourceAlreadyExistsException', 'Replay r already exists.'],
  ['replay archive missing', errors.replayArchiveNotFound('a'), 'ValidationException', 'Parameter EventSourceArn is not valid. Reason: Archive a does not exist.'],
  ['replay not a bus', errors.replayNotBusArn(), 'ValidationException', 'Parameter Destination.Arn is not valid. Reason: Must contain an event bus ARN.'],
  ['cross-bus replay', errors.crossBusReplay(), 'ValidationException', 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.'],
  ['replay window', errors.replayWindow(), 'ValidationException', 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.'],
  ['cancel ended replay', errors.replayNotCancellable('r'), 'IllegalStatusException', 'Replay r is not in a valid state for this operation.'],
  ['list filters', errors.oneListFilter('ListReplays'), 'ValidationException', 'At most one filter is allowed for ListReplays. Use either : State, EventSourceArn, or NamePrefix.'],
  ['policy json', errors.invalidPolicyJson(), 'ValidationException', 'This policy contains invalid Json'],
  ['principal', errors.principalRequired(), 'ValidationException', 'Parameter Principal must be specified.'],
  ['action', errors.actionNotSupported(), 'ValidationException', "Provided value in parameter 'action' is not supported."],
  ['no policy', errors.busHasNoPolicy(), 'ResourceNotFoundException', 'EventBus does not have a policy.'],
  ['no statement', errors.statementNotFound(), 'ResourceNotFoundException', 'Statement with the provided id does not exist.'],
];

describe('events error catalogue: archives, replays and permissions, as moto words them', () => {
  for (const [name, error, code, message] of fromMoto) {
    test(name, () => {
      assert.equal(error.code, code);
      assert.equal(error.message, message);
      assert.equal(error.status, 400);
    });
  }
});

// Connections and API destinations: the not-found messages as LocalStack's EventBridge provider
// words them (localstack/services/events/provider.py, written against AWS), copied by hand; the
// already-exists and AuthParameters messages are Lambkin's own wording, not taken from AWS.
const fromLocalStack: Array<[string, ReturnType<typeof errors.busNotFound>, string, string]> = [
  ['connection not found', errors.connectionNotFound('c'), 'ResourceNotFoundException', "Failed to describe the connection(s). Connection 'c' does not exist."],
  ['api destination not found', errors.apiDestinationNotFound('d'), 'ResourceNotFoundException', "Failed to describe the api-destination(s). An api-destination 'd' does not exist."],
];

describe('events error catalogue: connections and API destinations, as LocalStack words them', () => {
  for (const [name, error, code, message] of fromLocalStack) {
    test(name, () => {
      assert.equal(error.code, code);
      assert.equal(error.message, message);
      assert.equal(error.status, 400);
    });
  }
});
