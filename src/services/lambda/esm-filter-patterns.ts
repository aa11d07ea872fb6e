/**
 * Whether a `FilterCriteria.Filters[].Pattern` string is an acceptable event pattern: a JSON object
 * whose leaves are non-empty arrays of match values (AWS rejects `{"k": "v"}` and `{"k": []}`).
 */
export function isValidFilterPattern(pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(pattern);
  } catch {
    return false;
  }
  return isPatternObject(parsed);
}

function isPatternObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value as Record<string, unknown>).every((leaf) =>
    Array.isArray(leaf) ? leaf.length > 0 : isPatternObject(leaf),
  );
}
