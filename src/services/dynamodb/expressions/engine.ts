import type { AttributeValue, Item, KeySchema } from '../attribute-value.js';
import { AttributeValueInvalid } from '../value-errors.js';
import { validateAttributeValue } from '../value-validation.js';
import { applyUpdateActions } from './apply-update.js';
import { compileCondition } from './compile-condition.js';
import { compileUpdate } from './compile-update.js';
import { conditionOf, projectionOf, updateOf, type CompiledCondition, type CompiledProjection, type CompiledUpdate } from './compiled.js';
import type { CompiledRequest, ExpressionEngine, ExpressionInputs, RequestExpressions } from './contract.js';
import { ExpressionInvalid } from './errors.js';
import { evaluateCondition } from './evaluate.js';
import { ExpressionInputsInUse } from './inputs.js';
import { keyConditionForSchema, keyConditionsOfExpression } from './key-conditions.js';
import { compileProjection, projectItem } from './projection.js';

/**
 * Compiles all expressions of one request together, in AWS's order (update, condition, key
 * condition, filter, projection), then refuses names and values none of them used.
 */
export function compileRequest(expressions: RequestExpressions, inputs: ExpressionInputs, keySchema?: KeySchema): CompiledRequest {
  const inUse = new ExpressionInputsInUse(checkedNames(inputs.names), checkedValues(inputs.values));
  const compiled: CompiledRequest = {};
  if (expressions.update !== undefined) compiled.update = updateOf(compileUpdate(expressions.update, inUse));
  if (expressions.condition !== undefined) compiled.condition = conditionOf(compileCondition(expressions.condition, 'ConditionExpression', inUse).resolved);
  const keyCondition = expressions.keyCondition !== undefined ? compileCondition(expressions.keyCondition, 'KeyConditionExpression', inUse).resolved : undefined;
  if (expressions.filter !== undefined) compiled.filter = conditionOf(compileCondition(expressions.filter, 'FilterExpression', inUse).resolved);
  if (expressions.projection !== undefined) compiled.projection = projectionOf(compileProjection(expressions.projection, inUse));

  const unusedNames = Object.keys(inUse.names).filter((n) => !inUse.usedNames.has(n));
  if (unusedNames.length > 0) throw new ExpressionInvalid(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
  const unusedValues = Object.keys(inUse.values).filter((v) => !inUse.usedValues.has(v));
  if (unusedValues.length > 0) throw new ExpressionInvalid(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);

  if (keyCondition) {
    if (!keySchema) throw new TypeError('a key condition is compiled against the queried key schema');
    compiled.keyCondition = keyConditionForSchema(keyConditionsOfExpression(keyCondition), keySchema);
  }
  return compiled;
}

function checkedNames(names: Record<string, string> | undefined): Record<string, string> {
  if (!names) return {};
  if (Object.keys(names).length === 0) throw new ExpressionInvalid('ExpressionAttributeNames must not be empty');
  for (const key of Object.keys(names)) {
    if (!/^#[0-9A-Za-z_]+$/.test(key)) throw new ExpressionInvalid(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
  }
  return names;
}

/** Values are checked like item values, and normalised (canonical numbers) before use. */
function checkedValues(values: Record<string, AttributeValue> | undefined): Record<string, AttributeValue> {
  if (!values) return {};
  if (Object.keys(values).length === 0) throw new ExpressionInvalid('ExpressionAttributeValues must not be empty');
  for (const key of Object.keys(values)) {
    if (!/^:[0-9A-Za-z_]+$/.test(key)) throw new ExpressionInvalid(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
  }
  const checked: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(values)) {
    try {
      checked[key] = validateAttributeValue(value);
    } catch (error) {
      if (error instanceof AttributeValueInvalid) throw new ExpressionInvalid(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
      throw error;
    }
  }
  return checked;
}

export const expressionEngine: ExpressionEngine = {
  compile: compileRequest,
  evaluate: (condition, item) => evaluateCondition((condition as CompiledCondition).node, item),
  project: (item: Item, projection) => projectItem(item, (projection as CompiledProjection).paths),
  applyUpdate: (update, existing) => applyUpdateActions((update as CompiledUpdate).actions, existing, (update as CompiledUpdate).legacy),
};
