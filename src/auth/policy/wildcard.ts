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

/** One case-sensitive wildcard match, for patterns not kept (compiled at each call). */
export function wildcardMatch(pattern: string, value: string): boolean {
  return wildcardPattern(pattern, false).test(value);
}

/**
 * ArnLike / ArnNotLike: the six colon-separated parts of an ARN are compared one by one, each with
 * wildcards, so a `*` in the first five never spans a colon. A pattern of fewer parts (`*`,
 * `arn:aws:*`) is matched against the whole string, as policies written `"aws:SourceArn": "*"`
 * expect to match any source.
 */
export function arnLike(actual: string, pattern: string): boolean {
  const p = splitArn(pattern);
  const a = splitArn(actual);
  if (!p || !a) return wildcardMatch(pattern, actual);
  return p.every((part, i) => wildcardMatch(part, a[i]!));
}

function splitArn(arn: string): string[] | null {
  const parts = arn.split(':');
  if (parts.length < 6) return null;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
