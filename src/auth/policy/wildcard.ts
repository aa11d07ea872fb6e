/**
 * IAM's wildcards: `*` any run of characters (also across `:` and `/`), `?` exactly one. Patterns
 * are compiled once per policy and kept with it, so a request only runs the regular expressions.
 */
export function wildcardPattern(pattern: string, ignoreCase: boolean): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}
