// Server CPU per warm sync invoke under 16 lean clients, optionally with a CPU profile of the
// server's measured phase: `node dist/bench/lean-profile-main.js [--rounds N] [--seconds N]
// [--type Event] [--profile out.cpuprofile]` (`--type Event`: lean Event invokes with the drain
// running, each round starting on an empty queue, as the bench's async row). The same
// measurement as the bench's lean phase (from /proc), on its own, for comparing two trees run
// after run.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { queueDrained } from './async.js';
import { NO_OP } from './functions.js';
import { startBenchServer } from './lambkin.js';
import { runLeanLoad, WARM_MEMORY_MB } from './warm.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '5' }, profile: { type: 'string' }, type: { type: 'string', default: 'RequestResponse' } } });
const invocationType = values.type === 'Event' ? 'Event' : 'RequestResponse';
const server = await startBenchServer();
try {
  await server.deploy('bench-warm', NO_OP, { memoryMb: WARM_MEMORY_MB });
  const session = values.profile ? new Session() : undefined;
  for (let round = 0; round < Number(values.rounds); round++) {
    if (invocationType === 'Event') await queueDrained(server);
    if (session && round === Number(values.rounds) - 1) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    }
    const lean = await runLeanLoad({ url: server.url, functionName: 'bench-warm', invocationType, concurrency: 16, durationMs: Number(values.seconds) * 1000 });
    const n = Math.max(1, lean.completed);
    process.stdout.write(`${JSON.stringify({ perSecond: Math.round(lean.completed / lean.seconds), failed: lean.failed, serverMs: +(lean.cpuMs.server / n).toFixed(4), functionsMs: +(lean.cpuMs.functions / n).toFixed(4), clientMs: +(lean.cpuMs.client / n).toFixed(4), completed: lean.completed })}\n`);
  }
  if (session && values.profile) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(values.profile, JSON.stringify(profile));
    session.disconnect();
  }
} finally {
  await server.close();
}
