// `node dist/bench/events.js`: EventBridge figures — the pattern matcher alone, PutEvents latency
// through the real server, and PutEvents-to-target delivery latency. Standalone (not part of
// `npm run bench`, whose table is about invokes); prints a small table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { DeliverySinks, type DeliveryMessage } from '../src/contracts/delivery-sinks.js';
import { resolveConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startLambkin } from '../src/server.js';
import { compilePattern, matchesPattern } from '../src/services/events/pattern/index.js';
import { percentile, round3 } from './stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const RULES = 20;
const patternFor = (i: number) => ({
  source: [`app.${i}`, { prefix: 'shop' }],
  'detail-type': [{ 'equals-ignore-case': 'orderplaced' }],
  detail: { total: [{ numeric: ['>', i * 10] }], region: [{ 'anything-but': ['eu-west-9'] }], ip: [{ cidr: '10.0.0.0/8' }] },
});
const event = {
  version: '0', id: '1', 'detail-type': 'OrderPlaced', source: 'shop.web', account: '000000000000', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [],
  detail: { total: 150, region: 'us-east-1', ip: '10.1.2.3', items: [{ sku: 'a' }, { sku: 'b' }] },
};

function matcherThroughput(): { matchesPerSecond: number } {
  const compiled = Array.from({ length: RULES }, (_, i) => compilePattern(patternFor(i)));
  let evaluated = 0;
  let matched = 0;
  const start = performance.now();
  while (performance.now() - start < 2000) {
    for (const p of compiled) {
      if (matchesPattern(p, event)) matched++;
      evaluated++;
    }
  }
  if (matched === 0) throw new Error('bench patterns should match the bench event');
  return { matchesPerSecond: Math.round(evaluated / ((performance.now() - start) / 1000)) };
}

const received: Array<{ at: number }> = [];
let onReceive: (() => void) | null = null;
const sink = {
  service: 'recorder',
  exists: async () => true,
  async deliver(_arn: string, _message: DeliveryMessage) {
    received.push({ at: performance.now() });
    onReceive?.();
  },
};

const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-bench-events-'));
const sinks = new DeliverySinks();
sinks.register(sink);
const lambkin = await startLambkin(resolveConfig({ host: '127.0.0.1', port: 0, dataDir }, {}), { logger: createLogger('silent'), sinks });
const eb = new EventBridgeClient({ endpoint: lambkin.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
try {
  const matcher = matcherThroughput();
  for (let i = 0; i < RULES; i++) {
    await eb.send(new PutRuleCommand({ Name: `bench-${i}`, EventPattern: JSON.stringify(patternFor(i)) }));
  }
  // One rule of the twenty has a target, so each event yields one delivery.
  await eb.send(new PutTargetsCommand({ Rule: 'bench-0', Targets: [{ Id: 'r', Arn: 'arn:aws:recorder:us-east-1:000000000000:bench' }] }));
  const entry = { Source: 'shop.web', DetailType: 'OrderPlaced', Detail: JSON.stringify(event.detail) };
  for (let i = 0; i < 50; i++) await eb.send(new PutEventsCommand({ Entries: [entry] }));
  const putMs: number[] = [];
  const deliveryMs: number[] = [];
  for (let i = 0; i < 300; i++) {
    const before = received.length;
    const delivered = new Promise<void>((resolve) => {
      onReceive = () => {
        if (received.length > before) resolve();
      };
    });
    const t0 = performance.now();
    await eb.send(new PutEventsCommand({ Entries: [entry] }));
    putMs.push(performance.now() - t0);
    await delivered;
    deliveryMs.push(received[received.length - 1]!.at - t0);
  }
  const rows = [
    ['pattern matcher (20 rules × 6 operators, one event)', `${matcher.matchesPerSecond.toLocaleString('en')} pattern evaluations/s`],
    [`PutEvents, 1 entry, ${RULES} rules on the bus: p50 / p99`, `${round3(percentile(putMs, 0.5))} / ${round3(percentile(putMs, 0.99))} ms`],
    ['PutEvents → delivered to the target: p50 / p99', `${round3(percentile(deliveryMs, 0.5))} / ${round3(percentile(deliveryMs, 0.99))} ms`],
  ];
  process.stdout.write(`| EventBridge | |\n|---|---|\n${rows.map(([a, b]) => `| ${a} | ${b} |`).join('\n')}\n`);
} finally {
  eb.destroy();
  await lambkin.close();
  rmSync(dataDir, { recursive: true, force: true });
}
