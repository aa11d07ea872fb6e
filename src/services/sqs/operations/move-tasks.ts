import { integerInRange, optionalString, requiredString, type SqsOperation } from './context.js';

export const startMessageMoveTask: SqsOperation = async (call) => {
  const source = requiredString(call.input, 'SourceArn');
  const destination = optionalString(call.input, 'DestinationArn');
  const rate = integerInRange(call.input, 'MaxNumberOfMessagesPerSecond', 1, 500, 'Value must be between 1 and 500.');
  return { TaskHandle: call.moveTasks.start(source, destination, rate) };
};

export const listMessageMoveTasks: SqsOperation = async (call) => {
  const source = requiredString(call.input, 'SourceArn');
  const max = integerInRange(call.input, 'MaxResults', 1, 10, 'Value must be between 1 and 10.') ?? 1;
  return { Results: call.moveTasks.list(source, max) };
};

export const cancelMessageMoveTask: SqsOperation = async (call) => {
  return { ApproximateNumberOfMessagesMoved: call.moveTasks.cancel(requiredString(call.input, 'TaskHandle')) };
};
