/** One header's value as a string: repeated headers joined with commas, as HTTP allows. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
