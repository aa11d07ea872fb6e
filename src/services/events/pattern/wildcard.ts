import { MAX_WILDCARDS } from './limits.js';
import { PatternError } from './pattern-error.js';

/**
 * A `wildcard` value to an anchored RegExp: `*` is any run of characters, `\*` a literal star,
 * `\\` a literal backslash. Consecutive stars are rejected as event-ruler does.
 */
export function compileWildcard(value: unknown): RegExp {
  if (typeof value !== 'string') throw new PatternError('wildcard match pattern must be a string');
  let source = '';
  let stars = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      const next = value[i + 1];
      if (next !== '*' && next !== '\\') throw new PatternError(`Invalid escape character at pos ${i}`);
      source += escapeRegex(next);
      i++;
    } else if (c === '*') {
      if (value[i + 1] === '*') throw new PatternError(`Consecutive wildcard characters at pos ${i + 1}`);
      source += '[\\s\\S]*';
      stars++;
    } else {
      source += escapeRegex(c);
    }
  }
  if (stars > MAX_WILDCARDS) {
    throw new PatternError('Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character');
  }
  return new RegExp(`^${source}$`, 'u');
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
