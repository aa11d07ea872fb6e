/**
 * A sandboxed function has its own network namespace and reaches the host's loopback only on
 * ports allowed by name (`LAMBKIN_FUNCTION_HOST_PORTS`): a test sink functions POST to is such a
 * port. Servers started afterwards in this process (startTestServer, startChild) allow it.
 */
export function letFunctionsReach(port: number): void {
  const ports = new Set((process.env.LAMBKIN_FUNCTION_HOST_PORTS ?? '').split(',').filter(Boolean));
  ports.add(String(port));
  process.env.LAMBKIN_FUNCTION_HOST_PORTS = [...ports].join(',');
}
