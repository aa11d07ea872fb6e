/** A model pattern: the regular expression, and how AWS's validator shows it in its messages. */
export interface ModelPattern {
  regex: RegExp;
  shown: string;
}

/**
 * Model-constraint checks worded as AWS's request validator (the awsJson services: Logs, Kinesis):
 * every failure of a request is collected and reported together ("2 validation errors detected:
 * …"), through the service's own ValidationException / InvalidParameterException.
 */
export class ConstraintCheck {
  private readonly failures: string[] = [];

  constructor(private readonly toError: (failures: string[]) => Error) {}

  required(value: unknown, member: string): this {
    if (value === undefined || value === null) this.failures.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    return this;
  }

  pattern(value: unknown, member: string, p: ModelPattern): this {
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
    if (this.failures.length > 0) throw this.toError(this.failures);
  }
}

/** A string member, or undefined when absent or of another type. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An integer member (a number truncated), or undefined. */
export function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : undefined;
}
