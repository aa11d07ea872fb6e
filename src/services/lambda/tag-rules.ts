import { errors } from './errors.js';
import { TAGS_MAX } from './limits.js';
import { ConstraintCheck } from './validation.js';

/** Validates a `Tags` map (keys 1–128, values 0–256, at most 50) and returns it. */
export function validateTags(input: unknown): Record<string, string> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw errors.invalidJson('Tags must be a map');
  const tags = Object.fromEntries(Object.entries(input as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  const check = new ConstraintCheck();
  for (const [k, v] of Object.entries(tags)) {
    check.length(k, 'tags.key', 1, 128).length(v, 'tags.value', 0, 256);
  }
  check.throwIfFailed();
  if (Object.keys(tags).length > TAGS_MAX) throw errors.tooManyTags();
  return tags;
}
