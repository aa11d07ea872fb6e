// `node dist/bench/dev-loop-main.js [--samples N]`: `lambkin dev`'s edit-to-result latency beside a
// cold start and `node -e 0`, without the rest of the bench.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureDevLoop } from './dev-loop.js';
import { startBenchServer } from './lambkin.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const i = process.argv.indexOf('--samples');
const samples = i >= 0 ? Number(process.argv[i + 1]) : 3;
const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'lambkin-bench-dev-')));
const server = await startBenchServer({ LAMBKIN_HOT_RELOAD_ROOTS: root });
try {
  process.stdout.write(`${JSON.stringify(await measureDevLoop(server, root, samples), null, 2)}\n`);
} finally {
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
