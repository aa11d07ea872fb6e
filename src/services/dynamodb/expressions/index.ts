/** DynamoDB's expression engine: what the operations import. */
export { expressionEngine, compileRequest } from './engine.js';
export { ExpressionInvalid } from './errors.js';
export type { CompiledRequest, Condition, ExpressionEngine, ExpressionInputs, KeyCondition, Projection, RangeCondition, RequestExpressions, Update } from './contract.js';
export { RESERVED_WORDS, isReservedWord } from './reserved-words.js';
export {
  conditionFromExpected,
  conditionFromFilter,
  keyConditionFromLegacy,
  projectionFromAttributesToGet,
  rejectMixedParameters,
  updateFromAttributeUpdates,
  type AttributeUpdate,
  type ExpectedCondition,
  type LegacyCondition,
} from './legacy.js';
