// Compares two builds of Lambkin on this noisy host: `node dist/bench/paired-main.js --a TREE
// --b TREE [--rounds 12] [--seconds 2] [--warm 3] [--type Event]` (Event: lean `Event` invokes,
// the drain running, each round starting on an empty queue). Both servers start and stay warm side by side;
// rounds of 16 lean clients alternate between them (A then B, B then A), and each figure is the
// median over rounds of B ÷ A within a round. The host's drift (on the 2-core development machine
// the same tree's server CPU per invoke moved by ±40% from minute to minute) then hits both sides
// alike; unpaired runs minutes apart could not tell a 10% change from noise.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { a: { type: 'string' }, b: { type: 'string' }, rounds: { type: 'string', default: '12' }, seconds: { type: 'string', default: '2' }, warm: { type: 'string', default: '3' }, type: { type: 'string', default: 'RequestResponse' } } });
if (!values.a || !values.b) {
  console.error('usage: node dist/bench/paired-main.js --a TREE --b TREE [--rounds 12] [--seconds 2] [--warm 3] (each TREE built: npm run build)');
  process.exit(2);
}

interface Round { perSecond: number; failed: number; serverMs: number; functionsMs: number; clientMs: number; drainedServerMs?: number; drainedFunctionsMs?: number; drainedPerSecond?: number }

function side(tree: string) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./paired-tree.js', import.meta.url)), tree, values.type ?? 'RequestResponse'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the bench server of ${tree} ended`);
    return value as string;
  };
  return {
    ready: next,
    async round(seconds: number): Promise<Round> {
      child.stdin.write(`run ${seconds}\n`);
      return JSON.parse(await next()) as Round;
    },
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin.end('stop\n');
    }),
  };
}

const [a, b] = [side(values.a), side(values.b)];
await Promise.all([a.ready(), b.ready()]);
const rounds: Array<{ a: Round; b: Round }> = [];
const seconds = Number(values.seconds);
for (let i = 0; i < Number(values.warm) + Number(values.rounds); i++) {
  const first = i % 2 === 0 ? a : b;
  const firstRound = await first.round(seconds);
  const secondRound = await (first === a ? b : a).round(seconds);
  const pair = first === a ? { a: firstRound, b: secondRound } : { a: secondRound, b: firstRound };
  if (i >= Number(values.warm)) rounds.push(pair);
}
await Promise.all([a.stop(), b.stop()]);

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(`| per ${values.type === 'Event' ? 'accepted event' : 'warm invoke'}, 16 lean clients | A (median) | B (median) | B ÷ A, paired median |\n| --- | --- | --- | --- |`);
const rows: Array<readonly [string, keyof Round]> = [['server CPU (ms)', 'serverMs'], ['function environments CPU (ms)', 'functionsMs'], ['lean client CPU (ms)', 'clientMs'], ['throughput (invokes/s)', 'perSecond']];
// Event rounds of a tree that reports them (an older tree may not): each event end to end.
if (rounds.every((r) => r.a.drainedServerMs !== undefined && r.b.drainedServerMs !== undefined)) {
  rows.push(['server CPU, round start → queue empty, per event run (ms)', 'drainedServerMs'], ['function environments CPU, the same (ms)', 'drainedFunctionsMs'], ['events run per second, round start → queue empty', 'drainedPerSecond']);
}
for (const [label, key] of rows) {
  const ratio = median(rounds.map((r) => (r.b[key] as number) / (r.a[key] as number)));
  console.log(`| ${label} | ${median(rounds.map((r) => r.a[key] as number)).toFixed(3)} | ${median(rounds.map((r) => r.b[key] as number)).toFixed(3)} | ${ratio.toFixed(3)} |`);
}
const failed = rounds.reduce((sum, r) => sum + r.a.failed + r.b.failed, 0);
console.log(`\n${rounds.length} paired rounds of ${seconds} s after ${values.warm} warm-up pairs; ${failed} failed invokes.`);
