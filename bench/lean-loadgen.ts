// Invokes from a lean client in its own process: each request signed afresh with the SDK's own
// SigV4 signer, sent over keep-alive HTTP, without the rest of the SDK's middleware. What the
// platform sustains once the client is cheap; the SDK figures show what SDK users see.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { cpuSnapshot } from './cpu-usage.js';

export interface LeanLoadPlan {
  url: string;
  functionName: string;
  invocationType: 'RequestResponse' | 'Event';
  concurrency: number;
  durationMs: number;
}

export interface LeanLoadResult {
  completed: number;
  failed: number;
  seconds: number;
  /** CPU milliseconds spent during the measured phase: this client, the server (our parent), the function environments. */
  cpuMs: { client: number; server: number; functions: number };
}

class Sha256 extends Hash {
  constructor(secret?: Parameters<typeof Hash.prototype.update>[0]) {
    super('sha256', secret as never);
  }
}

const plan = JSON.parse(process.argv[2] ?? '{}') as LeanLoadPlan;
const target = new URL(plan.url);
const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'lambda', sha256: Sha256 });
const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
const path = `/2015-03-31/functions/${encodeURIComponent(plan.functionName)}/invocations`;
const body = Buffer.from('{"bench":true}');
const expected = plan.invocationType === 'Event' ? 202 : 200;

async function invokeOnce(): Promise<boolean> {
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST', protocol: 'http:', hostname: target.hostname, port: Number(target.port), path,
      headers: { host: target.host, 'content-type': 'application/json', 'content-length': String(body.length), 'x-amz-invocation-type': plan.invocationType },
      body,
    }),
  );
  return new Promise((resolve) => {
    const req = request({ host: target.hostname, port: target.port, method: 'POST', path, headers: signed.headers, agent }, (res) => {
      const ok = res.statusCode === expected && res.headers['x-amz-function-error'] === undefined;
      res.resume();
      res.on('end', () => resolve(ok));
      res.on('error', () => resolve(false));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

// Warm-up: environments started and connections open before the clock runs.
await Promise.all(Array.from({ length: plan.concurrency }, async () => { for (let i = 0; i < 20; i++) await invokeOnce(); }));
let completed = 0;
let failed = 0;
// The server is our parent; its other descendants are the function environments.
const exclude = new Set([process.pid]);
const cpuBefore = cpuSnapshot(process.ppid, exclude);
const clientBefore = process.cpuUsage();
const started = performance.now();
const until = started + plan.durationMs;
await Promise.all(
  Array.from({ length: plan.concurrency }, async () => {
    while (performance.now() < until) {
      if (await invokeOnce()) completed++;
      else failed++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const clientUsed = process.cpuUsage(clientBefore);
const cpuAfter = cpuSnapshot(process.ppid, exclude);
const result: LeanLoadResult = {
  completed, failed, seconds,
  cpuMs: {
    client: (clientUsed.user + clientUsed.system) / 1000,
    server: cpuAfter.rootMs - cpuBefore.rootMs,
    functions: cpuAfter.descendantsMs - cpuBefore.descendantsMs,
  },
};
agent.destroy();
process.stdout.write(`${JSON.stringify(result)}\n`);
