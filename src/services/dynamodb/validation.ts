import { errors } from './errors.js';
import { MAX_TABLE_NAME_CHARS, MIN_TABLE_NAME_CHARS } from './api-limits.js';

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

  tableName(value: unknown, member = 'tableName'): this {
    if (typeof value !== 'string') return this;
    if (value.length < MIN_TABLE_NAME_CHARS) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${MIN_TABLE_NAME_CHARS}`);
    if (value.length > MAX_TABLE_NAME_CHARS) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TABLE_NAME_CHARS}`);
    if (!/^[a-zA-Z0-9_.-]+$/.test(value)) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
    return this;
  }

  range(value: unknown, member: string, min: number, max = Number.MAX_SAFE_INTEGER): this {
    if (typeof value === 'number') {
      if (value < min) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
      else if (value > max) this.failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
    }
    return this;
  }

  oneOf(value: unknown, member: string, allowed: readonly string[]): this {
    if (value !== undefined && value !== null && !(typeof value === 'string' && allowed.includes(value))) {
      this.failures.push(`Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return this;
  }

  listLength(value: unknown, member: string, min: number, max: number): this {
    if (Array.isArray(value)) {
      if (value.length < min) this.failures.push(`Value '[]' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
      else if (value.length > max) this.failures.push(`Value '${JSON.stringify(value)}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    }
    return this;
  }

  /** A free-form failure, already worded. */
  add(failure: string | undefined): this {
    if (failure) this.failures.push(failure);
    return this;
  }

  throwIfAny(): void {
    if (this.failures.length > 0) throw errors.constraint(this.failures);
  }
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : undefined;
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function list(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}
