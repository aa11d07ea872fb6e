import { createServer, type RequestListener, type Server } from 'node:http';
import type { Logger } from '../../logger.js';

/** How a listener port answers: the ALB front door, bound to one listener. */
export type ListenerHandlerFactory = (listenerArn: string, port: number) => RequestListener;

/**
 * The real TCP ports behind HTTP listeners. A listener owns its port from CreateListener to
 * DeleteListener, and again after a restart (`reopen`).
 */
export class ListenerPorts {
  private readonly servers = new Map<string, { server: Server; port: number }>();

  constructor(
    private readonly host: string,
    private readonly handlerFor: ListenerHandlerFactory,
    private readonly logger: Logger,
  ) {}

  isOpen(port: number): boolean {
    for (const s of this.servers.values()) if (s.port === port) return true;
    return false;
  }

  /** Rejects with the listen error (e.g. `EADDRINUSE`). */
  open(listenerArn: string, port: number): Promise<void> {
    const server = createServer(this.handlerFor(listenerArn, port));
    // ALB's default idle timeout.
    server.keepAliveTimeout = 60_000;
    server.requestTimeout = 0;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.logger.error({ err, port }, 'listener port error'));
        this.servers.set(listenerArn, { server, port });
        resolve();
      });
    });
  }

  async close(listenerArn: string): Promise<void> {
    const entry = this.servers.get(listenerArn);
    if (!entry) return;
    this.servers.delete(listenerArn);
    await new Promise<void>((resolve) => {
      entry.server.close(() => resolve());
      entry.server.closeAllConnections();
    });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.servers.keys()].map((arn) => this.close(arn)));
  }

  /** Re-opens stored listeners on start; a port that cannot be had is logged, not fatal. */
  async reopen(listeners: Array<{ arn: string; port: number | null }>): Promise<void> {
    for (const l of listeners) {
      if (l.port === null || this.servers.has(l.arn)) continue;
      try {
        await this.open(l.arn, l.port);
      } catch (err) {
        this.logger.error({ err, port: l.port, listenerArn: l.arn }, 'listener port not re-opened');
      }
    }
  }
}
