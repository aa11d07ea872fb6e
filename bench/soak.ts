import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

export interface SoakPlan {
  /** Good invokes (garbage ones come on top). */
  invokes: number;
  concurrency: number;
  /** After this many good invokes a client sends one non-JSON payload; 0 for none. */
  garbageEvery: number;
}

export interface SoakFigures {
  invokes: number;
  concurrency: number;
  succeeded: number;
  /** Answered, but with another request's id or request id. */
  mismatched: number;
  /** Rejected, errored, or answered with a function error. */
  failed: number;
  garbage: number;
  garbageRejected: number;
  seconds: number;
  invokesPerSecond: number;
  /** The first few problems, for a readable failure. */
  problems: string[];
}

/**
 * Invokes a function that echoes `{ id, requestId }` from many clients at once and checks every
 * answer belongs to its own request: the payload's id and the runtime's request id must both match.
 */
export async function runSoak(client: LambdaClient, functionName: string, plan: SoakPlan): Promise<SoakFigures> {
  const f: SoakFigures = {
    invokes: plan.invokes, concurrency: plan.concurrency, succeeded: 0, mismatched: 0, failed: 0,
    garbage: 0, garbageRejected: 0, seconds: 0, invokesPerSecond: 0, problems: [],
  };
  const problem = (text: string) => {
    if (f.problems.length < 10) f.problems.push(text);
  };
  let issued = 0;
  const good = async () => {
    const id = randomUUID();
    try {
      const out = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify({ id })) }));
      const text = Buffer.from(out.Payload ?? []).toString('utf8');
      if (out.FunctionError) {
        f.failed++;
        return problem(`function error for ${id}: ${text}`);
      }
      const body = JSON.parse(text) as { id?: string; requestId?: string };
      if (body.id === id && body.requestId === out.$metadata.requestId) f.succeeded++;
      else {
        f.mismatched++;
        problem(`sent ${id} (request ${out.$metadata.requestId}), got ${text}`);
      }
    } catch (err) {
      f.failed++;
      problem(`invoke ${id} threw ${(err as Error).name}: ${(err as Error).message}`);
    }
  };
  const garbage = async () => {
    f.garbage++;
    try {
      await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(`{"id": ${randomUUID()}`) }));
      problem('a non-JSON payload was accepted');
    } catch (err) {
      const e = err as Error & { $metadata?: { httpStatusCode?: number } };
      if (e.name === 'InvalidRequestContentException' && e.$metadata?.httpStatusCode === 400) f.garbageRejected++;
      else problem(`a non-JSON payload got ${e.name}: ${e.message}`);
    }
  };
  const t = performance.now();
  await Promise.all(
    Array.from({ length: plan.concurrency }, async () => {
      while (issued < plan.invokes) {
        const n = ++issued;
        await good();
        if (plan.garbageEvery > 0 && n % plan.garbageEvery === 0) await garbage();
      }
    }),
  );
  f.seconds = Math.round(((performance.now() - t) / 1000) * 100) / 100;
  f.invokesPerSecond = Math.round(plan.invokes / f.seconds);
  return f;
}
