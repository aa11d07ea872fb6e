import type { Socket } from 'node:net';

/**
 * The address a function has inside its own network namespace (engine/sandbox/function-network.ts):
 * what the edge reports as the caller's address for a connection that came from a function.
 */
export const FUNCTION_NAMESPACE_ADDRESS = '10.0.2.15';

/**
 * Connections that arrived on the port pasta forwards functions' Lambkin endpoint to. pasta makes
 * them from the host's 127.0.0.1, so by their address they would pass every loopback-only check
 * (the debugger switch, /metrics, the console's open session, hot-reload folders): they are
 * recognised by the port they came in on instead.
 */
const fromFunctions = new WeakSet<Socket>();

export function markFromFunction(socket: Socket): void {
  fromFunctions.add(socket);
}

export function isFromFunction(socket: Socket): boolean {
  return fromFunctions.has(socket);
}

/** The caller's address as checks should see it: a function's own, never the loopback pasta connects from. */
export function callerAddress(socket: Socket): string {
  return fromFunctions.has(socket) ? FUNCTION_NAMESPACE_ADDRESS : (socket.remoteAddress ?? '127.0.0.1');
}
