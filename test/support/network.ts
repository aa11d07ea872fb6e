import { networkInterfaces } from 'node:os';

/** A non-loopback IPv4 address of this machine, to listen on as a server reachable from elsewhere would. */
export function nonLoopbackAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}
