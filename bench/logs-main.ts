// `node dist/bench/logs-main.js [--events N] [--runs N]`: only the CloudWatch Logs figures, beside
// the floor's HTTP round trip through a bare relay (`relay_ms_p50`).
import { measureFloor } from './floor.js';
import { startBenchServer } from './lambkin.js';
import { measureLogs } from './logs.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const floor = await measureFloor(16);
const server = await startBenchServer();
try {
  const figures = await measureLogs(server, { events: arg('--events', 100_000), runs: arg('--runs', 7) });
  const relay = floor?.relay_ms_p50;
  const ratios = relay
    ? Object.fromEntries(Object.entries(figures).filter(([k]) => k.endsWith('Ms')).map(([k, v]) => [k.replace(/Ms$/, 'XFloorRoundTrip'), Math.round((v / relay) * 10) / 10]))
    : {};
  process.stdout.write(`${JSON.stringify({ ...figures, floorRoundTripMs: relay ?? null, ...ratios }, null, 2)}\n`);
} finally {
  await server.close();
}
