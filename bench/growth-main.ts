// `node dist/bench/growth-main.js [--functions N] [--backlog N] [--messages N] [--seconds N] [--only functions,async,sqs]`:
// cost as work grows (bench/growth.ts), written to bench/results/growth-<timestamp>.json|md and growth-latest.json|md.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { growthRows, measureAsyncBacklog, measureFunctionGrowth, measureSqsBacklog, type GrowthFigures } from './growth.js';
import { machine, machineLine } from './report.js';
import { startSdkStub } from './sdk-stub.js';
import { intOption } from './options.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const functions = intOption('functions', 10_000);
const backlog = intOption('backlog', 100_000);
const messages = intOption('messages', 1_000_000);
const durationMs = intOption('seconds', 5) * 1000;
const onlyAt = process.argv.indexOf('--only');
const parts = new Set(onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : ['functions', 'async', 'sqs']);
const step = (text: string) => process.stderr.write(`growth: ${text}\n`);
const started = performance.now();
const date = new Date().toISOString();
const host = machine();

const stub = await startSdkStub();
const figures: GrowthFigures = {};
try {
  if (parts.has('functions')) {
    step(`invokes with 1 function, then with ${functions}…`);
    figures.functions = await measureFunctionGrowth(stub, { functions, sequential: 1000, durationMs, step });
  }
  if (parts.has('async')) {
    step(`async enqueue, empty and with a ${backlog}-event backlog…`);
    figures.asyncBacklog = await measureAsyncBacklog({ backlog, durationMs, step });
  }
  if (parts.has('sqs')) {
    step(`SQS, empty and with ${messages} messages queued…`);
    figures.sqsBacklog = await measureSqsBacklog({ messages, durationMs, step });
  }
} finally {
  await stub.close();
}

const durationSeconds = Math.round((performance.now() - started) / 1000);
const header = ['Measure', 'Lambkin (loaded vs empty)', 'Beside it (same run)', 'Ratio', 'Target'];
const table = [header, header.map(() => '---'), ...growthRows(figures)].map((row) => `| ${row.join(' | ')} |`).join('\n');
const line = machineLine({ date, machine: host, durationSeconds } as Parameters<typeof machineLine>[0]);
const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const stamp = date.replace(/[:.]/g, '-');
const json = `${JSON.stringify({ date, machine: host, ...figures, durationSeconds }, null, 2)}\n`;
const md = `# Lambkin benchmark: cost as work grows\n\n${line}\n\n${table}\n`;
for (const name of [`growth-${stamp}`, 'growth-latest']) {
  writeFileSync(path.join(dir, `${name}.json`), json);
  writeFileSync(path.join(dir, `${name}.md`), md);
}
process.stdout.write(`\n${line}\n\n${table}\n\nwritten: ${path.join(dir, `growth-${stamp}.json`)}\n`);
