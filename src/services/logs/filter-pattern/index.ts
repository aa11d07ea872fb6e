import { compileJsonPattern, selectJson } from './json-pattern.js';
import { FilterPatternInvalid } from './pattern-invalid.js';
import { compileSpaceDelimited } from './space-delimited.js';
import { compileTerms } from './terms.js';

export { FilterPatternInvalid } from './pattern-invalid.js';

/**
 * What a match yields: whether the event matched, and how to read a metric value from it
 * (`$.latency` from a JSON event, `$bytes` from a space-delimited one).
 */
export interface PatternMatch {
  value(selector: string): unknown;
}

export type CompiledPattern = (message: string) => PatternMatch | null;

const NO_FIELDS: PatternMatch = { value: () => undefined };

/**
 * The CloudWatch Logs filter-pattern language: empty (everything), terms and quoted phrases
 * with `?` alternatives and `-` exclusions, JSON patterns `{ $.a = … && … }`, space-delimited
 * patterns `[a, b = 5*, ...]` and regular expressions `%…%`. Throws FilterPatternInvalid.
 */
export function compileFilterPattern(pattern: string): CompiledPattern {
  const trimmed = pattern.trim();
  if (trimmed === '') return () => NO_FIELDS;
  if (trimmed.startsWith('{')) {
    const match = compileJsonPattern(trimmed);
    return (message) => {
      const root = match(message);
      return root === null ? null : { value: (selector) => selectJson(root, selector) };
    };
  }
  if (trimmed.startsWith('[')) {
    const match = compileSpaceDelimited(trimmed);
    return (message) => {
      const fields = match(message);
      return fields === null ? null : { value: (selector) => fields.get(selector.replace(/^\$/, '')) };
    };
  }
  if (trimmed.length > 1 && trimmed.startsWith('%') && trimmed.endsWith('%')) {
    let re: RegExp;
    try {
      re = new RegExp(trimmed.slice(1, -1));
    } catch {
      throw new FilterPatternInvalid('Invalid filter pattern');
    }
    return (message) => (re.test(message) ? NO_FIELDS : null);
  }
  const match = compileTerms(trimmed);
  return (message) => (match(message) ? NO_FIELDS : null);
}
