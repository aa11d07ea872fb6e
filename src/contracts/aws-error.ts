/**
 * An error a client is meant to see. Services throw these; only the edge (through the service's
 * protocol) turns them into bytes.
 */
export interface AwsErrorOptions {
  /** The JSON member that carries the message: AWS spells it per exception shape. */
  messageKey?: 'message' | 'Message';
  /** `Type` in rest-json bodies; `null` omits it (ValidationException has none). */
  type?: 'User' | 'Service' | null;
  /** Extra members of the error body, e.g. `Reason` on TooManyRequestsException. */
  fields?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class AwsError extends Error {
  readonly messageKey: 'message' | 'Message';
  readonly type: 'User' | 'Service' | null;
  readonly fields: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    options: AwsErrorOptions = {},
  ) {
    super(message);
    this.name = code;
    this.messageKey = options.messageKey ?? 'message';
    this.type = options.type === undefined ? (status >= 500 ? 'Service' : 'User') : options.type;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
  }
}
