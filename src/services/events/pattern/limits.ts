/** event-ruler / EventBridge limits on patterns. */
export const MAX_OR_COMBINATIONS = 1000;
/** Numeric matching accepts values within ±5.0e9 (EventBridge content-filtering docs). */
export const NUMERIC_LIMIT = 5.0e9;
/** Wildcard patterns with more wildcards than this are "too complex" (approximation of event-ruler's complexity rule). */
export const MAX_WILDCARDS = 5;
