import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { letFunctionsReach } from './host-ports.js';

/** A tiny HTTP sink functions POST their events to, so a test can see what they received. */
export interface Recorder {
  url: string;
  events: Array<Record<string, unknown>>;
  waitFor(predicate: (events: Array<Record<string, unknown>>) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const events: Array<Record<string, unknown>> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      events.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.setHeader('connection', 'close');
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  letFunctionsReach(port);
  return {
    url: `http://127.0.0.1:${port}/`,
    events,
    async waitFor(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`recorder: condition not met in ${timeoutMs} ms (${events.length} events)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/**
 * A handler that POSTs each event to RECORDER_URL with its start/end time, then: throws when a
 * record body is "fail"; with MODE=partial reports records whose body starts with "bad"; with
 * MODE=invalid reports an unknown id; MODE=bodies reports only the bodies (cheap for bulk tests).
 */
export const RECORDING_HANDLER = `
exports.handler = async (event) => {
  const started = Date.now();
  if (process.env.DELAY_MS) await new Promise((r) => setTimeout(r, Number(process.env.DELAY_MS)));
  const records = event.Records || [];
  const report = process.env.MODE === 'bodies' ? { started, bodies: records.map((r) => r.body) } : { started, ended: Date.now(), event };
  await fetch(process.env.RECORDER_URL, { method: 'POST', body: JSON.stringify(report) });
  if (records.some((r) => r.body === 'fail')) throw new Error('told to fail');
  if (process.env.MODE === 'partial') return { batchItemFailures: records.filter((r) => r.body.startsWith('bad')).map((r) => ({ itemIdentifier: r.messageId })) };
  if (process.env.MODE === 'invalid') return { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] };
  return {};
};
`;
