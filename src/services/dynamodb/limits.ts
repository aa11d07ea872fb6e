/** DynamoDB limits (Developer Guide, "Service, account, and table quotas": items, attributes, numbers). */

/** An item, attribute names and values together, as `itemSize` counts them. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** A number keeps at most 38 significant digits. */
export const MAX_NUMBER_SIGNIFICANT_DIGITS = 38;
/** The largest magnitude is 9.9999999999999999999999999999999999999E+125: scientific exponent 125. */
export const MAX_NUMBER_EXPONENT = 125;
/** The smallest non-zero magnitude is 1E-130. */
export const MIN_NUMBER_EXPONENT = -130;
/**
 * Nested maps and lists: AWS accepts 31 containers around a scalar (32 levels counting the item)
 * and refuses a 32nd with "Nesting Levels have exceeded supported limits".
 */
export const MAX_NESTED_CONTAINERS = 31;
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;
