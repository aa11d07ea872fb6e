/** A bad expression, or an update that cannot apply; the message is AWS's ValidationException text. */
export class ExpressionInvalid extends Error {
  readonly errorType = 'ValidationException';
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionInvalid';
  }
}

/** The parameter an expression came in, as AWS names it at the head of its messages. */
export type ExpressionKind = 'ConditionExpression' | 'FilterExpression' | 'KeyConditionExpression' | 'ProjectionExpression' | 'UpdateExpression';
