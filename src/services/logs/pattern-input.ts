import { errors } from './errors.js';
import { FilterPatternInvalid, compileFilterPattern, type CompiledPattern } from './filter-pattern/index.js';
import { MAX_FILTER_PATTERN_CHARS } from './limits.js';
import { ConstraintCheck, str } from './validation.js';

/** A request's `filterPattern`, compiled; AWS's InvalidParameterException when it does not parse. */
export function compilePattern(value: unknown): CompiledPattern {
  new ConstraintCheck().length(value, 'filterPattern', 0, MAX_FILTER_PATTERN_CHARS).throwIfAny();
  try {
    return compileFilterPattern(str(value) ?? '');
  } catch (err) {
    if (err instanceof FilterPatternInvalid) throw errors.filterPatternInvalid(err.message);
    throw err;
  }
}
