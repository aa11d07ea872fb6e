import type { AttributeValue, KeySchema } from './attribute-value.js';
import {
  conditionFromExpected,
  conditionFromFilter,
  keyConditionFromLegacy,
  projectionFromAttributesToGet,
  rejectMixedParameters,
  updateFromAttributeUpdates,
  type AttributeUpdate,
  type CompiledRequest,
  type ExpectedCondition,
  type ExpressionEngine,
  type LegacyCondition,
} from './expressions/index.js';
import { record, str } from './validation.js';

/** Which expressions (and their pre-expression parameters) an operation takes. */
export interface ExpressionParts {
  condition?: boolean;
  update?: boolean;
  projection?: boolean;
  filter?: 'QueryFilter' | 'ScanFilter';
  keyCondition?: boolean;
}

/**
 * A request's expressions compiled together, or its legacy parameters (Expected, AttributeUpdates,
 * KeyConditions, QueryFilter/ScanFilter, AttributesToGet) converted to the same compiled forms;
 * mixing the two kinds is refused as AWS refuses it.
 */
export function compileExpressions(engine: ExpressionEngine, input: Record<string, unknown>, parts: ExpressionParts, keySchema?: KeySchema): CompiledRequest {
  const expressionParameters = [
    ...(parts.update ? ['UpdateExpression'] : []),
    ...(parts.condition ? ['ConditionExpression'] : []),
    ...(parts.keyCondition ? ['KeyConditionExpression'] : []),
    ...(parts.filter ? ['FilterExpression'] : []),
    ...(parts.projection ? ['ProjectionExpression'] : []),
  ];
  const legacyParameters = [
    ...(parts.update ? ['AttributeUpdates'] : []),
    ...(parts.condition ? ['Expected'] : []),
    ...(parts.keyCondition ? ['KeyConditions'] : []),
    ...(parts.filter ? [parts.filter] : []),
    ...(parts.projection ? ['AttributesToGet'] : []),
    ...(parts.condition || parts.filter ? ['ConditionalOperator'] : []),
  ];
  rejectMixedParameters(input, expressionParameters, legacyParameters);
  const compiled = engine.compile(
    {
      condition: parts.condition ? str(input.ConditionExpression) : undefined,
      update: parts.update ? str(input.UpdateExpression) : undefined,
      keyCondition: parts.keyCondition ? str(input.KeyConditionExpression) : undefined,
      filter: parts.filter ? str(input.FilterExpression) : undefined,
      projection: parts.projection ? str(input.ProjectionExpression) : undefined,
    },
    {
      names: record(input.ExpressionAttributeNames) as Record<string, string> | undefined,
      values: record(input.ExpressionAttributeValues) as Record<string, AttributeValue> | undefined,
    },
    keySchema,
  );
  const operator = str(input.ConditionalOperator);
  if (parts.condition && !compiled.condition && record(input.Expected)) compiled.condition = conditionFromExpected(input.Expected as Record<string, ExpectedCondition>, operator);
  if (parts.update && !compiled.update && record(input.AttributeUpdates)) compiled.update = updateFromAttributeUpdates(input.AttributeUpdates as Record<string, AttributeUpdate>);
  if (parts.filter && !compiled.filter && record(input[parts.filter])) compiled.filter = conditionFromFilter(input[parts.filter] as Record<string, LegacyCondition>, operator);
  if (parts.keyCondition && !compiled.keyCondition && record(input.KeyConditions) && keySchema) {
    compiled.keyCondition = keyConditionFromLegacy(input.KeyConditions as Record<string, LegacyCondition>, keySchema);
  }
  if (parts.projection && !compiled.projection && Array.isArray(input.AttributesToGet)) compiled.projection = projectionFromAttributesToGet(input.AttributesToGet as string[]);
  return compiled;
}
