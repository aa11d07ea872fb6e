import { errors } from './errors.js';

/**
 * The model's member constraints, checked the way AWS reports them: every violation collected,
 * then one ValidationException listing them (`Value '…' at '<member>' failed to satisfy …`).
 */
export class StreamsConstraints {
  private readonly violations: string[] = [];

  constructor(private readonly input: Record<string, unknown>) {}

  /** A string member; `required` adds the not-null rule. */
  string(member: string, options: { required?: boolean; min?: number; max?: number; oneOf?: readonly string[] }): string | undefined {
    const value = this.input[member];
    const path = member.charAt(0).toLowerCase() + member.slice(1);
    if (value === undefined || value === null) {
      if (options.required) this.violations.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    const text = String(value);
    if (options.oneOf && !options.oneOf.includes(text)) {
      this.violations.push(`Value '${text}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${options.oneOf.join(', ')}]`);
    }
    if (options.min !== undefined && text.length < options.min) {
      this.violations.push(`Value '${text}' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${options.min}`);
    }
    if (options.max !== undefined && text.length > options.max) {
      this.violations.push(`Value '${text}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${options.max}`);
    }
    return text;
  }

  integer(member: string, options: { min: number; max?: number }): number | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) return undefined;
    const path = member.charAt(0).toLowerCase() + member.slice(1);
    const n = Number(value);
    if (n < options.min) this.violations.push(`Value '${n}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${options.min}`);
    if (options.max !== undefined && n > options.max) {
      this.violations.push(`Value '${n}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${options.max}`);
    }
    return n;
  }

  throwIfFailed(): void {
    if (this.violations.length > 0) throw errors.constraints(this.violations);
  }
}
