import type { AwsError } from '../../contracts/aws-error.js';
import { lambdaError, type LambdaErrorCode } from './errors.js';

/**
 * Collects model-constraint failures and reports them the way AWS does:
 * `2 validation errors detected: Value 'x' at 'field' failed to satisfy constraint: …; …`.
 */
export class ConstraintCheck {
  private readonly failures: string[] = [];

  fail(value: unknown, field: string, constraint: string): this {
    this.failures.push(`Value ${formatValue(value)} at '${field}' failed to satisfy constraint: ${constraint}`);
    return this;
  }

  required(value: unknown, field: string): this {
    if (value === undefined || value === null) this.fail(null, field, 'Member must not be null');
    return this;
  }

  pattern(value: string | undefined, field: string, source: string): this {
    if (value !== undefined && !new RegExp(`^(?:${source})$`).test(value)) {
      this.fail(value, field, `Member must satisfy regular expression pattern: ${source}`);
    }
    return this;
  }

  length(value: string | undefined, field: string, min: number, max: number): this {
    if (value === undefined) return this;
    if (value.length > max) this.fail(value, field, `Member must have length less than or equal to ${max}`);
    else if (value.length < min) this.fail(value, field, `Member must have length greater than or equal to ${min}`);
    return this;
  }

  range(value: number | undefined, field: string, min: number | null, max: number | null): this {
    if (value === undefined || value === null) return this;
    if (max !== null && value > max) this.fail(value, field, `Member must have value less than or equal to ${max}`);
    else if (min !== null && value < min) this.fail(value, field, `Member must have value greater than or equal to ${min}`);
    return this;
  }

  oneOf(value: string | undefined, field: string, allowed: readonly string[]): this {
    if (value !== undefined && value !== null && !allowed.includes(value)) {
      this.fail(value, field, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return this;
  }

  get count(): number {
    return this.failures.length;
  }

  error(code: LambdaErrorCode = 'ValidationException'): AwsError | null {
    const n = this.failures.length;
    if (n === 0) return null;
    return lambdaError(code, `${n} validation error${n > 1 ? 's' : ''} detected: ${this.failures.join('; ')}`);
  }

  throwIfFailed(code: LambdaErrorCode = 'ValidationException'): void {
    const err = this.error(code);
    if (err) throw err;
  }
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `'[${value.map(String).join(', ')}]'`;
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

/** Model patterns used in more than one operation. */
export const PATTERNS = {
  functionNameCreate:
    '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
  functionNameNamespaced:
    '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?',
  qualifier: '(|[a-zA-Z0-9$_-]+)',
  version: '(\\$LATEST|[0-9]+)',
  aliasName: '(?!^[0-9]+$)([a-zA-Z0-9-_]+)',
  urlQualifier: '((?!^\\d+$)^[0-9a-zA-Z-_]+$)',
  role: 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+',
  handler: '[^\\s]+',
  statementId: '([a-zA-Z0-9-_]+)',
  layerName: '(arn:[a-zA-Z0-9-]+:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+',
  layerVersionArn:
    '(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)',
  envKey: '[a-zA-Z]([a-zA-Z0-9_])+',
} as const;
