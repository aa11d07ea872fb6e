import { AwsError } from '../../contracts/aws-error.js';

/**
 * Every error CloudWatch (metrics and alarms) sends. `code` is the query protocol's code, which
 * clients show (`x-amzn-query-error` carries it for JSON and CBOR clients, whose `__type` is the
 * Smithy shape named in `shape`).
 */
interface CloudWatchErrorSpec {
  code: string;
  shape: string;
  status: number;
}

const SPECS = {
  invalidParameterValue: { code: 'InvalidParameterValue', shape: 'InvalidParameterValueException', status: 400 },
  missingParameter: { code: 'MissingParameter', shape: 'MissingRequiredParameterException', status: 400 },
  invalidParameterCombination: { code: 'InvalidParameterCombination', shape: 'InvalidParameterCombinationException', status: 400 },
  invalidNextToken: { code: 'InvalidNextToken', shape: 'InvalidNextToken', status: 400 },
  invalidFormat: { code: 'InvalidFormat', shape: 'InvalidFormatFault', status: 400 },
  resourceNotFound: { code: 'ResourceNotFound', shape: 'ResourceNotFound', status: 404 },
  resourceNotFoundException: { code: 'ResourceNotFoundException', shape: 'ResourceNotFoundException', status: 404 },
  limitExceeded: { code: 'LimitExceeded', shape: 'LimitExceededFault', status: 400 },
  internal: { code: 'InternalServiceError', shape: 'InternalServiceFault', status: 500 },
  invalidAction: { code: 'InvalidAction', shape: 'InvalidAction', status: 400 },
  serialization: { code: 'SerializationException', shape: 'SerializationException', status: 400 },
} as const satisfies Record<string, CloudWatchErrorSpec>;

/** The Smithy shape behind a query code, for `__type` in JSON and CBOR answers. */
export function shapeOfCode(code: string): string {
  for (const spec of Object.values(SPECS)) if (spec.code === code) return spec.shape;
  return code;
}

function make(spec: CloudWatchErrorSpec, message: string): AwsError {
  return new AwsError(spec.code, spec.status, message, {
    headers: { 'x-amzn-query-error': `${spec.code};${spec.status >= 500 ? 'Receiver' : 'Sender'}` },
  });
}

export const errors = {
  invalidValue: (value: unknown, parameter: string) => make(SPECS.invalidParameterValue, `The value ${String(value)} for parameter ${parameter} is invalid.`),
  invalidParameter: (message: string) => make(SPECS.invalidParameterValue, message),
  missing: (parameter: string) => make(SPECS.missingParameter, `The parameter ${parameter} is required.`),
  combination: (message: string) => make(SPECS.invalidParameterCombination, message),
  invalidNextToken: () => make(SPECS.invalidNextToken, 'The service cannot process the NextToken.'),
  invalidFormat: (message: string) => make(SPECS.invalidFormat, message),
  alarmNotFound: (name: string) => make(SPECS.resourceNotFound, `Alarm ${name} does not exist`),
  resourceNotFound: (message: string) => make(SPECS.resourceNotFoundException, message),
  limitExceeded: (message: string) => make(SPECS.limitExceeded, message),
  internal: () => make(SPECS.internal, 'Internal service error.'),
  invalidAction: (action: string) => make(SPECS.invalidAction, `The action ${action} is not valid for this web service.`),
  serialization: (message: string) => make(SPECS.serialization, message),
};
