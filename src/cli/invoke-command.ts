import { readFile } from 'node:fs/promises';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { describeApiError, lambdaClient, type ApiTarget } from './api-client.js';
import { printInvocation, reportFigures, type InvocationReport } from './invocation-output.js';
import { paintFor } from './terminal.js';

export interface InvokeCommandOptions {
  target: ApiTarget;
  functionName: string;
  /** JSON text, or `@path` of a file holding it; `{}` when absent. */
  payload?: string;
  qualifier?: string;
  async: boolean;
  /** The whole log tail (START … REPORT), not only the function's own lines. */
  tail: boolean;
  json: boolean;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

/**
 * `lambkin invoke <function>`: one invocation, its answer, log and REPORT figures; exit status 1
 * when the function failed (the error type is printed), 2 when the request itself was refused.
 */
export async function invokeCommand(options: InvokeCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const payload = await readPayload(options.payload);
  const client = await lambdaClient(options.target);
  try {
    if (options.async) {
      const { InvokeCommand } = await import('@aws-sdk/client-lambda');
      const answer = await client.send(new InvokeCommand({ FunctionName: options.functionName, Qualifier: options.qualifier, InvocationType: 'Event', Payload: payload }));
      const requestId = answer.$metadata.requestId ?? '';
      out.write(options.json ? `${JSON.stringify({ statusCode: answer.StatusCode, requestId })}\n` : `queued (${answer.StatusCode ?? 202}) ${requestId}\n`);
      return 0;
    }
    const result = await invokeOnce(client, options.functionName, payload, options.qualifier);
    if (options.json) out.write(`${JSON.stringify(result)}\n`);
    else printInvocation(result, { out, err, paint: paintFor(err), fullLog: options.tail });
    return result.functionError ? 1 : 0;
  } catch (e) {
    err.write(`lambkin: ${describeApiError(e, options.target)}\n`);
    return 2;
  } finally {
    client.destroy();
  }
}

/** A synchronous invoke with the log tail, as the commands report it. */
export async function invokeOnce(client: LambdaClient, functionName: string, payload: Uint8Array, qualifier?: string): Promise<InvocationReport> {
  const { InvokeCommand } = await import('@aws-sdk/client-lambda');
  const answer = await client.send(new InvokeCommand({ FunctionName: functionName, Qualifier: qualifier, LogType: 'Tail', Payload: payload }));
  const log = answer.LogResult ? Buffer.from(answer.LogResult, 'base64').toString('utf8') : '';
  const report = reportFigures(log);
  return {
    statusCode: answer.StatusCode ?? 200,
    ...(answer.ExecutedVersion ? { executedVersion: answer.ExecutedVersion } : {}),
    ...(answer.FunctionError ? { functionError: answer.FunctionError } : {}),
    payload: Buffer.from(answer.Payload ?? []).toString('utf8'),
    log,
    ...(report ? { report } : {}),
  };
}

/** `--payload '{"a":1}'` or `--payload @event.json`; the invoke checks it is JSON, as the API does. */
export async function readPayload(value: string | undefined): Promise<Uint8Array> {
  if (value === undefined) return Buffer.from('{}');
  if (value.startsWith('@')) return readFile(value.slice(1));
  return Buffer.from(value);
}
