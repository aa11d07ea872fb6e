// `node dist/bench/dynamodb-main.js [--seconds N]`: only the DynamoDB figures, without the rest of the bench.
import { measureDynamodb } from './dynamodb.js';
import { startBenchServer } from './lambkin.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const i = process.argv.indexOf('--seconds');
const seconds = i >= 0 ? Number(process.argv[i + 1]) : 5;
const server = await startBenchServer();
try {
  const figures = await measureDynamodb(server, { durationMs: seconds * 1000, latencySamples: 50 });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await server.close();
}
