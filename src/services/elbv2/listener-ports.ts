import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from '../../logger.js';
import type { ListenerCertificate } from './tls-certificate.js';

/** How a listener port answers: the ALB front door, bound to one listener. */
export type ListenerHandlerFactory = (listenerArn: string, port: number) => RequestListener;

/**
 * The real TCP ports behind HTTP and HTTPS listeners. A listener owns its port from CreateListener to
 * DeleteListener, and again after a restart (`reopen`).
 */
export class ListenerPorts {
  private readonly servers = new Map<string, { server: Server; port: number }>();

  constructor(
    private readonly host: string,
    private readonly handlerFor: ListenerHandlerFactory,
    private readonly logger: Logger,
    private readonly certificate: ListenerCertificate,
  ) {}

  isOpen(port: number): boolean {
    for (const s of this.servers.values()) if (s.port === port) return true;
    return false;
  }

  /** Rejects with the listen error (e.g. `EADDRINUSE`), or a certificate that cannot be read. */
  async open(listenerArn: string, port: number, protocol = 'HTTP'): Promise<void> {
    const handler = this.handlerFor(listenerArn, port);
    const server: Server = protocol === 'HTTPS' ? createHttpsServer(await this.certificate.get(), handler) : createServer(handler);
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
  async reopen(listeners: Array<{ arn: string; port: number | null; doc: { Protocol?: string } }>): Promise<void> {
    for (const l of listeners) {
      if (l.port === null || this.servers.has(l.arn)) continue;
      try {
        await this.open(l.arn, l.port, l.doc.Protocol);
      } catch (err) {
        this.logger.error({ err, port: l.port, listenerArn: l.arn }, 'listener port not re-opened');
      }
    }
  }
}
