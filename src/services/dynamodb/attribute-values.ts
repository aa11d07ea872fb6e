/**
 * The attribute-value helpers the DynamoDB operations use, in one place to import from; each
 * lives in the module named after its concern.
 */
export { validateAttributeValue, validateItem, ATTRIBUTE_TYPES } from './value-validation.js';
export { typeOf, valuesEqual, compareScalars, bytesOf } from './value-comparison.js';
export { itemSize, valueSize, numberSize } from './item-size.js';
export { sortableKey, sortablePrefixRange } from './sortable-keys.js';
export { keyOf, keyString } from './primary-keys.js';
export { AttributeValueInvalid, PARAMETER_VALUES_INVALID } from './value-errors.js';
