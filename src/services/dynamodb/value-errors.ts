/**
 * A request's attribute value (or number) that DynamoDB refuses. `errorType` is the AWS error the
 * edge sends: most are ValidationException; malformed base64 is caught while the JSON body is read,
 * so AWS answers SerializationException for it.
 */
export class AttributeValueInvalid extends Error {
  constructor(
    message: string,
    readonly errorType: 'ValidationException' | 'SerializationException' = 'ValidationException',
  ) {
    super(message);
    this.name = 'AttributeValueInvalid';
  }
}

/** Prefix AWS puts before most item-content complaints. */
export const PARAMETER_VALUES_INVALID = 'One or more parameter values were invalid: ';
