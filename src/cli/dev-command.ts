import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { FolderWatcher } from '../services/lambda/hot-reload/folder-watcher.js';
import { accountOf, describeApiError, lambdaClient, type ApiTarget } from './api-client.js';
import { functionNameFor, guessShape } from './dev-defaults.js';
import { printInvocation } from './invocation-output.js';
import { invokeOnce, readPayload } from './invoke-command.js';
import { paintFor, type Paint } from './terminal.js';

export interface DevCommandOptions {
  target: ApiTarget;
  folder: string;
  name?: string;
  runtime?: string;
  handler?: string;
  /** The test event: JSON text or `@file` (`{}` when absent); a file is read again before every run. */
  event?: string;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  /** Ends the loop (Ctrl-C by default). */
  signal?: AbortSignal;
}

/** How long a changed folder may take to show in the function's CodeSha256 before the run goes ahead anyway. */
const RELOAD_WAIT_MS = 5_000;
const RELOAD_POLL_MS = 10;

/**
 * `lambkin dev <folder>`: creates (or points) a function at the folder with hot reload, runs the
 * test event, then re-runs it after every change and prints result, logs and REPORT — the shortest
 * loop from an edit to its result.
 */
export async function devCommand(options: DevCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const paint = paintFor(err);
  const folder = path.resolve(options.folder);
  const name = options.name ?? functionNameFor(folder);
  const shape = guessShape(folder, options);
  if (typeof shape === 'string') {
    err.write(`lambkin: ${shape}\n`);
    return 2;
  }
  const client = await lambdaClient(options.target);
  try {
    let sha = await deploy(client, options.target, { name, folder, ...shape }, err, paint);
    const stopped = options.signal ?? interrupted();
    // One run at a time; changes during a run make one more run after it.
    let running: Promise<void> = Promise.resolve();
    let queued = false;
    const schedule = (editedAt?: number) => {
      if (queued) return;
      queued = true;
      running = running
        .then(async () => {
          queued = false;
          if (editedAt !== undefined) sha = await reloaded(client, name, sha);
          await run(client, name, options, { out, err, paint }, editedAt);
        })
        .catch((e: unknown) => void err.write(`lambkin: ${describeApiError(e, options.target)}\n`));
    };
    // Watching before the first run: an edit made while it runs is not missed.
    const watcher = new FolderWatcher(folder, (changed) => {
      err.write(`${paint.cyan('changed')} ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ` and ${changed.length - 5} more` : ''}\n`);
      schedule(performance.now());
    }, { persistent: true });
    await watcher.start();
    err.write(`${paint.bold(name)} ${paint.dim(`${shape.runtime} ${shape.handler}`)} runs ${folder}; watching for changes (Ctrl-C stops)\n`);
    schedule();
    await new Promise<void>((resolve) => (stopped.aborted ? resolve() : stopped.addEventListener('abort', () => resolve(), { once: true })));
    watcher.close();
    await running;
    return 0;
  } catch (e) {
    err.write(`lambkin: ${describeApiError(e, options.target)}\n`);
    return 2;
  } finally {
    client.destroy();
  }
}

/** Creates the function from the folder, or points an existing one at it; resolves its CodeSha256 once it is ready. */
async function deploy(client: LambdaClient, target: ApiTarget, fn: { name: string; folder: string; runtime: string; handler: string }, err: NodeJS.WritableStream, paint: Paint): Promise<string | undefined> {
  const sdk = await import('@aws-sdk/client-lambda');
  const code = { S3Bucket: 'hot-reload', S3Key: fn.folder };
  const existing = await client.send(new sdk.GetFunctionCommand({ FunctionName: fn.name })).catch((e: unknown) => {
    if ((e as Error).name === 'ResourceNotFoundException') return null;
    throw e;
  });
  const waiter = { client, maxWaitTime: 120, minDelay: 1, maxDelay: 1 };
  if (!existing) {
    err.write(paint.dim(`creating ${fn.name}…\n`));
    const role = `arn:aws:iam::${await accountOf(target)}:role/lambkin-dev`;
    await client.send(new sdk.CreateFunctionCommand({ FunctionName: fn.name, Runtime: fn.runtime as never, Handler: fn.handler, Role: role, Timeout: 30, Code: code }));
    await sdk.waitUntilFunctionActiveV2(waiter, { FunctionName: fn.name });
  } else {
    const config = existing.Configuration ?? {};
    if (existing.Code?.Location !== pathToFileURL(fn.folder).href) {
      err.write(paint.dim(`pointing ${fn.name} at ${fn.folder}…\n`));
      await client.send(new sdk.UpdateFunctionCodeCommand({ FunctionName: fn.name, ...code }));
      await sdk.waitUntilFunctionUpdatedV2(waiter, { FunctionName: fn.name });
    }
    if (config.Runtime !== fn.runtime || config.Handler !== fn.handler) {
      await client.send(new sdk.UpdateFunctionConfigurationCommand({ FunctionName: fn.name, Runtime: fn.runtime as never, Handler: fn.handler }));
      await sdk.waitUntilFunctionUpdatedV2(waiter, { FunctionName: fn.name });
    }
  }
  return (await client.send(new sdk.GetFunctionConfigurationCommand({ FunctionName: fn.name }))).CodeSha256;
}

/**
 * Waits until the server has taken the change in (the function's CodeSha256 moved on), so the
 * run cannot reach an environment of the old code.
 */
async function reloaded(client: LambdaClient, name: string, previous: string | undefined): Promise<string | undefined> {
  const { GetFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
  const deadline = performance.now() + RELOAD_WAIT_MS;
  for (;;) {
    const sha = (await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).CodeSha256;
    if (sha !== previous || performance.now() > deadline) return sha;
    await new Promise((resolve) => setTimeout(resolve, RELOAD_POLL_MS));
  }
}

async function run(client: LambdaClient, name: string, options: DevCommandOptions, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream; paint: Paint }, editedAt?: number): Promise<void> {
  const payload = await readPayload(options.event);
  const result = await invokeOnce(client, name, payload);
  printInvocation(result, { ...io, fullLog: false });
  if (editedAt !== undefined) io.err.write(io.paint.dim(`edit → result in ${Math.round(performance.now() - editedAt)} ms\n`));
}

function interrupted(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}
