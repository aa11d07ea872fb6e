// `node dist/bench/sqs-main.js [--messages N]`: only the SQS figures, without the rest of the bench.
import { startBenchServer } from './lambkin.js';
import { measureSqs } from './sqs.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const i = process.argv.indexOf('--messages');
const messages = i >= 0 ? Number(process.argv[i + 1]) : 20_000;
const server = await startBenchServer();
try {
  const figures = await measureSqs(server, { messages, sdkDurationMs: 5000 });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await server.close();
}
