import { ConstraintCheck as ModelConstraintCheck, int, str, type ModelPattern } from '../../protocols/constraint-check.js';
import { errors } from './errors.js';
import { MAX_NAME_CHARS } from './limits.js';

/** The model's patterns, as the validator shows them in its messages. */
export const GROUP_NAME: ModelPattern = { regex: /^[.\-_/#A-Za-z0-9]+$/, shown: '[\\.\\-_/#A-Za-z0-9]+' };
export const STREAM_NAME: ModelPattern = { regex: /^[^:*]*$/, shown: '[^:*]*' };

/** Model-constraint checks (protocols/constraint-check.ts) that fail with Logs' InvalidParameterException. */
export class ConstraintCheck extends ModelConstraintCheck {
  constructor() {
    super(errors.constraint);
  }
}

/** A log group name: AWS answers an over-long one (group or stream) with its own sentence, not the validator's. */
export function checkGroupName(value: unknown, member = 'logGroupName', required = true): string | undefined {
  if (typeof value === 'string' && value.length > MAX_NAME_CHARS) throw errors.nameTooLong();
  const check = new ConstraintCheck();
  if (required) check.required(value, member);
  check.length(value, member, 1, MAX_NAME_CHARS).pattern(value, member, GROUP_NAME).throwIfAny();
  return typeof value === 'string' ? value : undefined;
}

export function checkStreamName(value: unknown, member = 'logStreamName', required = true): string | undefined {
  if (typeof value === 'string' && value.length > MAX_NAME_CHARS) throw errors.nameTooLong();
  const check = new ConstraintCheck();
  if (required) check.required(value, member);
  check.length(value, member, 1, MAX_NAME_CHARS).pattern(value, member, STREAM_NAME).throwIfAny();
  return typeof value === 'string' ? value : undefined;
}

export { int, str };
