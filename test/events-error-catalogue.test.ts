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
