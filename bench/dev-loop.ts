import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { bareNodeSpawn } from './cold.js';
import { NO_OP } from './functions.js';
import type { BenchServer } from './lambkin.js';
import { median, round3 } from './stats.js';

const CLI = fileURLToPath(new URL('../../bin/lambkin.js', import.meta.url));

export interface DevLoopFigures {
  samples: number;
  /** A file written under the folder `lambkin dev` watches → the new result on its stdout. */
  editToResultMedianMs: number;
  editToResultMs: number[];
  /** First invoke of a new .zip function (the cold start an edit costs at least), measured alongside. */
  coldStartMedianMs: number;
  bareSpawnMedianMs: number;
  /** Each as a multiple of `node -e 0`, and the loop as a multiple of the cold start. */
  ratios: { editToResult: number; coldStart: number; editToResultOverColdStart: number };
}

const source = (n: number) => `exports.handler = async () => ({ sample: ${n} });\n`;

/**
 * The edit-to-result loop: `lambkin dev <folder>` running as a user runs it (its own process,
 * talking to the server over HTTP), a file rewritten, the time until the new answer is printed —
 * the debounce, the server's reload, the CLI's wait for the new CodeSha256, a cold start and the
 * invoke. A new .zip function's first invoke and `node -e 0` are measured in the same rounds.
 */
export async function measureDevLoop(server: BenchServer, root: string, samples: number): Promise<DevLoopFigures> {
  const folder = path.join(root, 'bench-dev');
  mkdirSync(folder, { recursive: true });
  chmodSync(folder, 0o755);
  writeFileSync(path.join(folder, 'index.js'), source(-1), { mode: 0o644 });
  const child = spawn(process.execPath, [CLI, 'dev', folder], {
    env: { ...process.env, AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const printed = (text: string) =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        if (!stdout.includes(text)) return;
        child.stdout.off('data', onData);
        child.off('exit', onExit);
        resolve(performance.now());
      };
      const onData = (t: string) => {
        stdout += t;
        check();
      };
      const onExit = () => reject(new Error(`lambkin dev exited: ${stderr}`));
      child.stdout.setEncoding('utf8').on('data', onData);
      child.once('exit', onExit);
      check();
    });
  const client = server.client();
  try {
    await printed('"sample":-1');
    const loop: number[] = [];
    const cold: number[] = [];
    const bare: number[] = [];
    await bareNodeSpawn();
    for (let i = 0; i < samples; i++) {
      bare.push(await bareNodeSpawn());
      await server.deploy(`bench-dev-cold-${i}`, NO_OP);
      const t = performance.now();
      const out = await client.send(new InvokeCommand({ FunctionName: `bench-dev-cold-${i}`, Payload: Buffer.from('{}') }));
      cold.push(performance.now() - t);
      if (out.FunctionError) throw new Error('cold start failed');
      const answer = printed(`"sample":${i}}`);
      const editedAt = performance.now();
      writeFileSync(path.join(folder, 'index.js'), source(i));
      loop.push((await answer) - editedAt);
    }
    const bareMs = median(bare);
    const loopMs = median(loop);
    const coldMs = median(cold);
    return {
      samples,
      editToResultMedianMs: round3(loopMs),
      editToResultMs: loop.map(round3),
      coldStartMedianMs: round3(coldMs),
      bareSpawnMedianMs: round3(bareMs),
      ratios: { editToResult: round3(loopMs / bareMs), coldStart: round3(coldMs / bareMs), editToResultOverColdStart: round3(loopMs / coldMs) },
    };
  } finally {
    client.destroy();
    child.kill('SIGINT');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  }
}
