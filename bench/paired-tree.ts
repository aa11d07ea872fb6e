// One side of bench/paired-main: a bench server of the tree at argv[2] (its own dist/), with the
// no-op function deployed, answering each `run SECONDS` line on stdin with one round of 16 lean
// clients as a JSON line (CPU per invoke by process, throughput). Imported from that tree, so two
// builds (two commits, or a change and its base) run side by side. argv[3] is the invocation type:
// with `Event` a round's figures are per accepted event, the drain running meanwhile, and the
// answer waits until the queue is empty again (a backlog would drain into the other side's round);
// it adds the server's and the environments' CPU per event from the round's start until then
// (`drained…`: accepting and running every event, the warm-up's too), and events run per second.
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as LambkinModule from './lambkin.js';
import type * as WarmModule from './warm.js';
import type * as FunctionsModule from './functions.js';
import type * as CpuModule from './cpu-usage.js';
// The queue is read from the side's own store: the wait needs nothing of that tree's bench code.
import { queueDrained } from './async.js';

const tree = path.resolve(process.argv[2] ?? '.');
const invocationType = process.argv[3] === 'Event' ? 'Event' : 'RequestResponse';
const load = <T>(name: string) => import(pathToFileURL(path.join(tree, 'dist', 'bench', name)).href) as Promise<T>;
const { startBenchServer } = await load<typeof LambkinModule>('lambkin.js');
const { runLeanLoad, WARM_MEMORY_MB } = await load<typeof WarmModule>('warm.js');
const { NO_OP } = await load<typeof FunctionsModule>('functions.js');
const { cpuSnapshot } = await load<typeof CpuModule>('cpu-usage.js');

const server = await startBenchServer();
try {
  await server.deploy('bench-warm', NO_OP, { memoryMb: WARM_MEMORY_MB });
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, seconds] = line.split(' ');
    if (command !== 'run') break;
    const startedAt = performance.now();
    const cpuBefore = cpuSnapshot(process.pid);
    const lean = await runLeanLoad({ url: server.url, functionName: 'bench-warm', invocationType, concurrency: 16, durationMs: Number(seconds) * 1000 });
    const n = Math.max(1, lean.completed);
    const round: Record<string, number> = { perSecond: lean.completed / lean.seconds, failed: lean.failed, serverMs: lean.cpuMs.server / n, functionsMs: lean.cpuMs.functions / n, clientMs: lean.cpuMs.client / n };
    if (invocationType === 'Event') {
      // Polled every 100 ms: the end of the drain sets the events-run rate.
      await queueDrained(server, 100);
      const cpuAfter = cpuSnapshot(process.pid);
      const events = Math.max(1, lean.completed + lean.warmup);
      round.drainedServerMs = (cpuAfter.rootMs - cpuBefore.rootMs) / events;
      round.drainedFunctionsMs = (cpuAfter.descendantsMs - cpuBefore.descendantsMs) / events;
      round.drainedPerSecond = events / ((performance.now() - startedAt) / 1000);
    }
    process.stdout.write(`${JSON.stringify(round)}\n`);
  }
} finally {
  await server.close();
}
