import { AwsError } from '../../../contracts/aws-error.js';

/** EventBridge Scheduler errors: rest-json, `Message` in the body, `x-amzn-ErrorType`. */
const error = (code: string, status: number, message: string) => new AwsError(code, status, message, { messageKey: 'Message', type: null });

export const schedulerErrors = {
  validation: (message: string) => error('ValidationException', 400, message),
  scheduleNotFound: (name: string) => error('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`),
  groupNotFound: (name: string) => error('ResourceNotFoundException', 404, `Schedule group ${name} does not exist.`),
  scheduleExists: (name: string) => error('ConflictException', 409, `Schedule ${name} already exists.`),
  groupExists: (name: string) => error('ConflictException', 409, `Schedule group ${name} already exists.`),
  unknownOperation: () => error('UnknownOperationException', 404, 'Unknown operation'),
};
