import { errors } from './errors.js';

/**
 * Model-constraint checks worded as AWS's request validator: every failure of a request is
 * collected and reported together ("2 validation errors detected: …").
 */
export class ConstraintCheck {
  private readonly failures: string[] = [];

  pattern(value: unknown, member: string, regex: RegExp, shown: string): this {
    if (typeof value === 'string' && !regex.test(value)) {
      this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shown}`);
    }
    return this;
  }

  maxLength(value: unknown, member: string, max: number): this {
    if (typeof value === 'string' && value.length > max) {
      this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    }
    return this;
  }

  minLength(value: unknown, member: string, min: number): this {
    if (typeof value === 'string' && value.length < min) {
      this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
    }
    return this;
  }

  required(value: unknown, member: string): this {
    if (value === undefined || value === null) this.failures.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    return this;
  }

  oneOf(value: unknown, member: string, allowed: readonly string[]): this {
    if (typeof value === 'string' && !allowed.includes(value)) {
      this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return this;
  }

  range(value: unknown, member: string, min: number, max: number): this {
    if (typeof value === 'number') {
      if (value < min) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
      else if (value > max) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    }
    return this;
  }

  /** A list's element count (AWS shows the list itself; we show it as JSON). */
  listLength(value: unknown, member: string, min: number, max: number): this {
    if (Array.isArray(value)) {
      if (value.length < min) this.failures.push(`Value '${JSON.stringify(value)}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
      else if (value.length > max) this.failures.push(`Value '${JSON.stringify(value)}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    }
    return this;
  }

  throwIfAny(): void {
    if (this.failures.length > 0) throw errors.constraint(this.failures);
  }
}

export const RULE_NAME = /^[\.\-_A-Za-z0-9]+$/;
export const RULE_NAME_SHOWN = '[\\.\\-_A-Za-z0-9]+';
export const BUS_NAME = /^[/\.\-_A-Za-z0-9]+$/;
export const BUS_NAME_SHOWN = '[/\\.\\-_A-Za-z0-9]+';
export const BUS_NAME_OR_ARN = /^(arn:aws[\w-]*:events:[a-z]{2}-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/\.\-_A-Za-z0-9]+$/;
export const BUS_NAME_OR_ARN_SHOWN = '(arn:aws[\\w-]*:events:[a-z]{2}-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+';
export const TARGET_ID = /^[\.\-_A-Za-z0-9]+$/;

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** List pagination: the token is the offset, opaque to clients. */
export function page<T>(items: T[], limit: unknown, nextToken: unknown): { items: T[]; nextToken?: string } {
  const start = typeof nextToken === 'string' ? Number(Buffer.from(nextToken, 'base64url').toString('utf8')) || 0 : 0;
  const size = typeof limit === 'number' && limit > 0 ? limit : items.length;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return next ? { items: slice, nextToken: next } : { items: slice };
}
