// `node dist/bench/kinesis-main.js [--seconds N]`: only the Kinesis figures, without the rest of the bench.
import { startBenchServer } from './lambkin.js';
import { measureKinesis } from './kinesis.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const i = process.argv.indexOf('--seconds');
const seconds = i >= 0 ? Number(process.argv[i + 1]) : 5;
const server = await startBenchServer();
try {
  const figures = await measureKinesis(server, { putDurationMs: seconds * 1000, latencySamples: 50, steadyRecordsPerSecond: 5000 });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await server.close();
}
