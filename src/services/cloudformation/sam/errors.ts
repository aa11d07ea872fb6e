/**
 * The one error the SAM transform throws. Its message is the text CloudFormation shows when the
 * `AWS::Serverless-2016-10-31` transform rejects a template, e.g.
 * "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification
 * document. Number of errors found: 1. Resource with id [Fn] is invalid. …". `causes` holds each
 * cause alone (samtranslator's wording), for tests and for callers that want to list them.
 */
export class SamTransformError extends Error {
  readonly causes: readonly string[];

  constructor(causes: readonly string[]) {
    super(
      'Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. ' +
        `Number of errors found: ${causes.length}. ${causes.join(' ')}`,
    );
    this.name = 'SamTransformError';
    this.causes = causes;
  }
}

/** A problem with one resource; collected, then thrown together as a SamTransformError. */
export class InvalidResourceError extends Error {
  constructor(
    readonly logicalId: string,
    reason: string,
  ) {
    super(`Resource with id [${logicalId}] is invalid. ${reason}`);
  }
}

/** A problem with one event of a function, reported through its function's id as samtranslator does. */
export function invalidEvent(functionId: string, eventId: string, reason: string): InvalidResourceError {
  return new InvalidResourceError(functionId, `Event with id [${eventId}] is invalid. ${reason}`);
}

/** A problem with the template as a whole (Globals, Transform placement). */
export class InvalidTemplateError extends Error {
  constructor(reason: string) {
    super(`Structure of the SAM template is invalid. ${reason}`);
  }
}
