// `node dist/bench/cold-main.js [samples]`: cold starts alone (the part of `npm run bench` that
// measures them), beside `node -e 0`: no-op Node and Python with a spare environment waiting, and
// no-op Node that no spare can serve.
import { measureCold } from './cold.js';
import { startBenchServer } from './lambkin.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const server = await startBenchServer();
try {
  console.log(JSON.stringify(await measureCold(server, Number(process.argv[2] ?? 10)), null, 2));
} finally {
  await server.close();
}
