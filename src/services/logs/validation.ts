import { errors } from './errors.js';
import { MAX_NAME_CHARS } from './limits.js';

/** The model's patterns, as the validator shows them in its messages. */
export const GROUP_NAME = { regex: /^[.\-_/#A-Za-z0-9]+$/, shown: '[\\.\\-_/#A-Za-z0-9]+' };
export const STREAM_NAME = { regex: /^[^:*]*$/, shown: '[^:*]*' };

/**
 * Model-constraint checks worded as AWS's request validator: every failure of a request is
 * collected and reported together ("2 validation errors detected: …").
 */
export class ConstraintCheck {
  private readonly failures: string[] = [];

  required(value: unknown, member: string): this {
    if (value === undefined || value === null) this.failures.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    return this;
  }

  pattern(value: unknown, member: string, p: { regex: RegExp; shown: string }): this {
    if (typeof value === 'string' && !p.regex.test(value)) {
      this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${p.shown}`);
    }
    return this;
  }

  length(value: unknown, member: string, min: number, max: number): this {
    if (typeof value === 'string') {
      if (value.length < min) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
      else if (value.length > max) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    }
    return this;
  }

  range(value: unknown, member: string, min: number, max = Number.MAX_SAFE_INTEGER): this {
    if (typeof value === 'number') {
      if (value < min) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
      else if (value > max) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    }
    return this;
  }

  oneOf(value: unknown, member: string, allowed: readonly (string | number)[]): this {
    if (value !== undefined && value !== null && !allowed.includes(value as string | number)) {
      this.failures.push(`Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return this;
  }

  listLength(value: unknown, member: string, min: number, max: number): this {
    if (Array.isArray(value)) {
      if (value.length < min) this.failures.push(`Value '[]' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
      else if (value.length > max) this.failures.push(`Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    }
    return this;
  }

  throwIfAny(): void {
    if (this.failures.length > 0) throw errors.constraint(this.failures);
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

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : undefined;
}
