/** `*` in a pattern value matches any run of characters; everything else is literal. */
export function wildcardRegex(value: string): RegExp {
  return new RegExp(`^${value.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}
