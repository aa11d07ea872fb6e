import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { letFunctionsReach } from './host-ports.js';

/** What a recorder function posted: which function saw what, with which request id. */
export interface Recorded {
  fn: string;
  requestId: string;
  event: unknown;
  /** When the report reached the recording server (performance.now(), this process's clock). */
  receivedAt: number;
}

/**
 * An HTTP endpoint on loopback that test functions POST what they receive to, so a test sees
 * exactly what a destination function was invoked with.
 */
export class RecordingServer {
  readonly received: Recorded[] = [];
  private waiters: Array<() => void> = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<RecordingServer> {
    const server = createServer();
    const recording = new RecordingServer(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        recording.received.push({ ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<Recorded, 'receivedAt'>), receivedAt: performance.now() });
        res.end('ok');
        for (const w of recording.waiters.splice(0)) w();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    letFunctionsReach((server.address() as AddressInfo).port);
    return recording;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  of(fn: string): Recorded[] {
    return this.received.filter((r) => r.fn === fn);
  }

  /** Resolves once `predicate` holds, or rejects after `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting; ${this.received.length} received, the last: ${JSON.stringify(this.received.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A Node handler that reports each invocation to the recording server, then behaves as the event
 * asks: `{fail:true}` throws, `{sleepMs:n}` waits first, anything else returns `{ok:true}`.
 */
export function recorderSource(fn: string): string {
  return `
exports.handler = async (event, context) => {
  await fetch(process.env.RECORDER_URL, { method: 'POST', body: JSON.stringify({ fn: ${JSON.stringify(fn)}, requestId: context.awsRequestId, event }) });
  if (event && event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
  if (event && event.fail) throw new Error('intentional failure');
  return { ok: true, got: event };
};
`;
}
