import { spawn, type ChildProcess } from 'node:child_process';
import type { Server, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const RELAY = fileURLToPath(new URL('./namespace-relay.js', import.meta.url));

/** Opens connections to ports on an environment's own loopback, from the host side. */
export type NamespaceConnect = (port: number) => Promise<Socket>;

/**
 * The server cannot open a socket inside another network namespace itself (Node has no setns):
 * a relay started there on first use (`nsenter --net`) connects and passes each socket back. Only
 * environments whose extensions subscribe to the Telemetry API ever start one.
 */
export function namespaceConnector(nsenter: string, netnsPath: string): {
  /** Starts the relay now, so its start-up overlaps other work. */
  start(): void;
  connect: NamespaceConnect;
  /** A listening socket bound to the namespace's loopback at `port`, accepting in this process. */
  listen(port: number): Promise<Server>;
  close(): void;
} {
  let relay: ChildProcess | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (handle: Socket | Server) => void; reject: (err: Error) => void }>();
  const failAll = (err: Error) => {
    for (const waiter of pending.values()) waiter.reject(err);
    pending.clear();
  };
  const start = (): ChildProcess => {
    const child = spawn(nsenter, [`--net=${netnsPath}`, '--', process.execPath, RELAY], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    child.on('message', (message: { id: number; error?: string }, handle?: unknown) => {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (handle && !message.error) waiter.resolve(handle as Socket | Server);
      else waiter.reject(new Error(`connect in the environment's namespace failed: ${message.error ?? 'no socket'}`));
    });
    child.on('exit', () => {
      if (relay === child) relay = undefined;
      failAll(new Error('the namespace relay exited'));
    });
    child.on('error', (err) => failAll(err));
    return child;
  };
  const ask = (port: number, listen: boolean): Promise<Socket | Server> => {
    relay ??= start();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      relay!.send({ id, port, listen });
    });
  };
  return {
    start() {
      relay ??= start();
    },
    connect: (port) => ask(port, false) as Promise<Socket>,
    listen: (port) => ask(port, true) as Promise<Server>,
    close() {
      relay?.kill('SIGKILL');
      relay = undefined;
    },
  };
}
