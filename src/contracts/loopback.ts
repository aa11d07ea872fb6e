/**
 * Whether a host name or address (a listen host, a URL's hostname, a client's remote address,
 * IPv4-mapped included) is this machine's loopback: the line between what only local callers may
 * do and what any caller may.
 */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^(::ffff:)?127\./.test(host);
}
