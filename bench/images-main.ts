// `node dist/bench/images-main.js [--samples N]`: container image cold starts (with and without
// unpacking) beside a .zip function's and `node -e 0`, without the rest of the bench.
import { measureImageCold } from './images.js';
import { startBenchServer } from './lambkin.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const i = process.argv.indexOf('--samples');
const samples = i >= 0 ? Number(process.argv[i + 1]) : 5;
const server = await startBenchServer();
try {
  process.stdout.write(`${JSON.stringify(await measureImageCold(server, samples), null, 2)}\n`);
} finally {
  await server.close();
}
