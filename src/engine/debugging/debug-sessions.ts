import { EventEmitter } from 'node:events';
import net from 'node:net';

/** What an environment serving a debugger session sees of it. */
export interface DebuggerAttachment {
  /** Where the runtime's debugger is to listen, on the host's loopback (the sandbox shares or forwards it). */
  readonly listenPort: number;
  /** Whether a client is connected through the session's port now. */
  readonly attached: boolean;
  /** Called with each change of `attached`; returns the unsubscribe. */
  onChange(listener: (attached: boolean) => void): () => void;
}

export interface DebugSessionInfo {
  functionKey: string;
  port: number;
  /** An environment serves the session now. */
  serving: boolean;
  attached: boolean;
}

class Session {
  readonly events = new EventEmitter();
  readonly clients = new Set<net.Socket>();
  /** The environment serving the session (its id), or null until the next one starts. */
  servedBy: string | null = null;

  constructor(
    readonly port: number,
    /** A loopback port of the host the runtime's debugger listens on (or is forwarded from). */
    readonly listenPort: number,
    readonly server: net.Server,
  ) {}

  get attached(): boolean {
    return this.clients.size > 0;
  }
}

/**
 * Debugger sessions, one per function at most: Lambkin listens on the port the user asked for
 * (loopback only) and relays each connection to the runtime's debugger in the one environment
 * serving the session. The relay is how Lambkin knows a debugger is attached (the function's
 * timeout is lifted meanwhile) and why the port stays the same across environments.
 */
export class DebugSessions {
  private readonly sessions = new Map<string, Session>();

  /** Opens a session on `127.0.0.1:port`; a session already open for the function is replaced. */
  async open(functionKey: string, port: number): Promise<void> {
    this.close(functionKey);
    const listenPort = await freeLoopbackPort();
    const server = net.createServer();
    const session = new Session(port, listenPort, server);
    server.on('connection', (client) => this.relay(session, client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.sessions.set(functionKey, session);
  }

  /** Ends the session: its port closes and attached clients are disconnected. */
  close(functionKey: string): boolean {
    const session = this.sessions.get(functionKey);
    if (!session) return false;
    this.sessions.delete(functionKey);
    session.server.close();
    for (const client of session.clients) client.destroy();
    return true;
  }

  closeAll(): void {
    for (const key of [...this.sessions.keys()]) this.close(key);
  }

  has(functionKey: string): boolean {
    return this.sessions.has(functionKey);
  }

  list(): DebugSessionInfo[] {
    return [...this.sessions].map(([functionKey, s]) => ({ functionKey, port: s.port, serving: s.servedBy !== null, attached: s.attached }));
  }

  /**
   * For a new environment of the function: the session to serve, when there is one no other
   * environment serves (one at a time); `release` once that environment is gone.
   */
  claim(functionKey: string, environmentId: string): { attachment: DebuggerAttachment; release: () => void } | null {
    const session = this.sessions.get(functionKey);
    if (!session || session.servedBy !== null) return null;
    session.servedBy = environmentId;
    session.events.emit('served');
    const attachment: DebuggerAttachment = {
      listenPort: session.listenPort,
      get attached() {
        return session.attached;
      },
      onChange(listener) {
        session.events.on('change', listener);
        return () => session.events.off('change', listener);
      },
    };
    return {
      attachment,
      release: () => {
        if (session.servedBy !== environmentId) return;
        session.servedBy = null;
        // The environment is gone: so is what its clients were attached to.
        for (const client of session.clients) client.destroy();
      },
    };
  }

  /**
   * Relays one client to the serving environment's debugger. A user attaches as soon as the invoke
   * is sent, often before the environment exists or its debugger listens (a JVM takes a second; in
   * the sandbox pasta's forward takes the connection and then drops it): so the client is held, and
   * what it sends is kept and replayed on each new try, until the debugger first answers — every
   * debugger here (JDWP, the inspector's HTTP, DAP) waits for its client to speak first — or
   * `UPSTREAM_WAIT_MS` passes. From the first answer on, bytes pass through as they come.
   */
  private relay(session: Session, client: net.Socket): void {
    const wasAttached = session.attached;
    session.clients.add(client);
    if (!wasAttached) session.events.emit('change', true);
    const deadline = Date.now() + UPSTREAM_WAIT_MS;
    let sent: Buffer[] = [];
    let sentBytes = 0;
    let answered = false;
    let upstream: net.Socket | null = null;
    let retry: NodeJS.Timeout | undefined;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(retry);
      upstream?.destroy();
      client.destroy();
      if (session.clients.delete(client) && !session.attached) session.events.emit('change', false);
    };
    const tryLater = () => {
      if (Date.now() >= deadline) end();
      else retry = setTimeout(connect, UPSTREAM_RETRY_MS);
    };
    const connect = () => {
      if (ended) return;
      if (session.servedBy === null) {
        // Attached before the invoke: wait for the environment it starts.
        const served = () => {
          clearTimeout(retry);
          connect();
        };
        session.events.once('served', served);
        client.once('close', () => session.events.off('served', served));
        retry = setTimeout(() => {
          session.events.off('served', served);
          end();
        }, Math.max(0, deadline - Date.now()));
        return;
      }
      const socket = net.connect(session.listenPort, '127.0.0.1');
      upstream = socket;
      // Node holds these until the socket connects.
      for (const chunk of sent) socket.write(chunk);
      socket.on('data', (chunk: Buffer) => {
        if (!answered) {
          answered = true;
          sent = [];
        }
        if (!client.write(chunk)) {
          socket.pause();
          client.once('drain', () => socket.resume());
        }
      });
      socket.on('error', () => undefined); // 'close' follows
      socket.on('close', () => {
        if (upstream !== socket) return;
        upstream = null;
        client.resume(); // in case it waited for this socket's 'drain'
        if (answered) end();
        else tryLater();
      });
    };
    client.on('data', (chunk: Buffer) => {
      if (!answered) {
        sent.push(chunk);
        sentBytes += chunk.length;
        if (sentBytes > UNANSWERED_MAX_BYTES) return end();
      }
      if (upstream && !upstream.write(chunk)) {
        client.pause();
        upstream.once('drain', () => client.resume());
      }
    });
    client.on('error', end).on('close', end);
    connect();
  }
}

/** How long a client waits for an environment to serve the session and its debugger to answer. */
const UPSTREAM_WAIT_MS = 300_000;
/** Between tries to reach the debugger. */
const UPSTREAM_RETRY_MS = 100;
/** What a client may send before the debugger first answers (a handshake is a few hundred bytes). */
const UNANSWERED_MAX_BYTES = 1 << 20;

/** A port nothing listens on now (the kernel's choice); the runtime binds it moments later. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
