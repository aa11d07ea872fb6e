import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { hotLimit, WarmHandOff } from '../src/engine/dispatch/warm-hand-off.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

describe('warm hand-off: when an invocation waits for a busy environment', () => {
  test('the host runs as many environments at once as it has CPUs for their share', () => {
    assert.equal(hotLimit(2, 1769), 2);
    assert.equal(hotLimit(2, 128), 28);
    assert.equal(hotLimit(2, 10240), 1);
    assert.equal(hotLimit(16, 3538), 8);
  });

  test('nobody waits before a run was seen, below the limit, or for runs that are never short', () => {
    const handOff = new WarmHandOff<string>(2);
    assert.equal(handOff.shouldWait('f', 1769), false, 'nothing known yet');
    handOff.started('f');
    handOff.started('f');
    assert.equal(handOff.shouldWait('f', 1769), false, 'no run finished: its length is unknown');
    handOff.finished('f', 0.4, 'env-a', 'rev1', () => true);
    handOff.started('f');
    assert.equal(handOff.shouldWait('f', 1769), true, '2 running short runs on 2 CPUs');
    assert.equal(handOff.shouldWait('f', 128), false, 'a 128 MB share leaves room for 28');
    const slow = new WarmHandOff<string>(2);
    slow.started('s');
    slow.started('s');
    slow.finished('s', 250, 'env-a', 'rev1', () => true);
    slow.started('s');
    assert.equal(slow.shouldWait('s', 1769), false, 'a 250 ms run is I/O or real work: scale out as AWS does');
    handOff.finished('f', 6, 'env-a', 'rev1', () => true);
    handOff.started('f');
    assert.equal(handOff.shouldWait('f', 1769), true, 'the shortest recent run counts, not the latest');
  });

  test('an environment in Init counts toward the limit: a burst waits for it instead of each starting one more', () => {
    let hostBusy = false;
    const handOff = new WarmHandOff<string>(2, () => hostBusy);
    handOff.started('f');
    handOff.finished('f', 0.4, 'env-a', 'rev1', () => true);
    handOff.started('f');
    assert.equal(handOff.shouldWait('f', 1769), false, 'one running of two');
    handOff.starting('f');
    assert.equal(handOff.shouldWait('f', 1769), true, 'one running and one starting: the two CPUs are spoken for, busy or not yet');
    handOff.startEnded('f');
    assert.equal(handOff.shouldWait('f', 1769), false, 'the start failed: room for another');
    handOff.starting('f');
    handOff.startEnded('f');
    handOff.started('f');
    assert.equal(handOff.shouldWait('f', 1769), false, 'two running on a host with CPU to spare');
    hostBusy = true;
    assert.equal(handOff.shouldWait('f', 1769), true, 'two running on a busy host');
  });

  test('the first waiter gets the environment that comes free, in order, and only a free one', () => {
    const handOff = new WarmHandOff<string>(1);
    const got: string[] = [];
    handOff.started('f');
    handOff.wait('f', 'rev1', (env) => got.push(`one:${env}`));
    handOff.wait('f', 'rev1', (env) => got.push(`two:${env}`));
    assert.equal(handOff.finished('f', 0.3, 'env-a', 'rev1', () => false), false, 'not free (retired, or extensions still busy)');
    assert.deepEqual(got, []);
    handOff.started('f');
    assert.equal(handOff.finished('f', 0.3, 'env-b', 'rev1', () => true), true);
    assert.deepEqual(got, ['one:env-b']);
    handOff.releaseAll();
    assert.deepEqual(got, ['one:env-b', 'two:null'], 'closing sends the rest elsewhere');
  });

  test('waiters for an older revision go elsewhere at once instead of holding up the queue', () => {
    const handOff = new WarmHandOff<string>(1);
    const got: string[] = [];
    handOff.started('f');
    handOff.started('f');
    handOff.wait('f', 'rev1', (env) => got.push(`old:${env}`));
    handOff.wait('f', 'rev2', (env) => got.push(`new:${env}`));
    assert.equal(handOff.finished('f', 0.3, 'env-new', 'rev2', () => true), true);
    assert.deepEqual(got, ['old:null', 'new:env-new']);
  });

  test('a waiter waits while invocations keep ending, and goes elsewhere once none has for 50 ms', async () => {
    const handOff = new WarmHandOff<string>(1);
    let got: string | null | undefined;
    handOff.wait('f', 'rev1', (env) => (got = env));
    // Others' invocations end (their environments not free for this revision) every 20 ms for 150 ms.
    for (let i = 0; i < 7; i++) {
      handOff.started('f');
      await new Promise((r) => setTimeout(r, 20));
      handOff.finished('f', 0.3, 'env-x', 'rev1', () => false);
    }
    assert.equal(got, undefined, 'still waiting: the queue is moving');
    const lastEndedAt = performance.now();
    // Nothing else happens: the stall alone must release the waiter (a hang fails on the test's timeout).
    while (got === undefined) await new Promise((r) => setTimeout(r, 5));
    assert.equal(got, null);
    // Released by the stall, not earlier: timers never fire early, however busy the machine.
    assert.ok(performance.now() - lastEndedAt >= 45, 'went elsewhere before 50 ms without an ending');
  });

  test('while an environment is starting a waiter waits for it, up to a second, instead of starting one more', async () => {
    const handOff = new WarmHandOff<string>(1);
    handOff.starting('f');
    const started = performance.now();
    let got: string | null | undefined;
    handOff.wait('f', 'rev1', (env) => (got = env));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(got, undefined, 'still waiting after 200 ms: an environment is on its way');
    handOff.startEnded('f');
    handOff.started('f');
    assert.equal(handOff.finished('f', 0.3, 'env-new', 'rev1', () => true), true);
    assert.equal(got, 'env-new');
    const hung = new WarmHandOff<string>(1);
    hung.starting('f');
    const env = await new Promise<string | null>((resolve) => hung.wait('f', 'rev1', resolve));
    assert.equal(env, null, 'a start that takes too long does not hold the waiter');
    assert.ok(performance.now() - started >= 950);
  });

  test('a waiter goes elsewhere after 50 ms if no environment came free', async () => {
    const handOff = new WarmHandOff<string>(1);
    const started = performance.now();
    const env = await new Promise<string | null>((resolve) => handOff.wait('f', 'rev1', resolve));
    assert.equal(env, null);
    assert.ok(performance.now() - started >= 45);
  });
});

/** Each environment answers with an id drawn once per process, so callers can count environments. */
const WHO_AM_I = makeZip({
  'index.js': `const id = require('crypto').randomUUID();
exports.handler = async (e) => {
  if (e.sleep) await new Promise((r) => setTimeout(r, e.sleep));
  if (e.crash) process.exit(7);
  return id;
};
`,
});

describe('warm hand-off, end to end', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(() => server.stop());

  async function create(name: string, memoryMb: number): Promise<void> {
    // 30 s: on a loaded machine a start or a run may pass the default 3 s, which is not what these count.
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: WHO_AM_I }, MemorySize: memoryMb, Timeout: 30 }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 0.05 as number, maxDelay: 0.1 as number }, { FunctionName: name });
  }
  async function invokeRaw(name: string, event: object) {
    return lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  }
  async function invoke(name: string, event: object): Promise<string> {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
    assert.equal(out.FunctionError, undefined);
    return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as string;
  }
  /** `clients` callers each invoking `each` times back to back; the environment ids they saw. */
  async function load(name: string, clients: number, each: number, event: object): Promise<string[]> {
    const seen: string[] = [];
    await Promise.all(Array.from({ length: clients }, async () => {
      for (let i = 0; i < each; i++) seen.push(await invoke(name, event));
    }));
    return seen;
  }

  const hot = hotLimit(availableParallelism(), 1769);
  test('16 callers of a no-op at one vCPU share environments: fewer than one each', { skip: hot >= 10 && 'this host has CPUs for 16 environments' }, async (t) => {
    await create('handoff-noop', 1769);
    await load('handoff-noop', 16, 5, {});
    const steady = await load('handoff-noop', 16, 25, {});
    assert.equal(steady.length, 400);
    const environments = new Set(steady.slice(200)).size;
    // Without hand-offs each caller keeps an environment of its own (16). How close the count comes
    // to the hot limit depends on the machine's load (a waiter goes elsewhere after 50 ms without an
    // ending), so that figure is reported, not asserted; the hand-off logic is tested above.
    t.diagnostic(`${environments} environments served the last 200 invokes (hot limit ${hot})`);
    assert.ok(environments < 16, `${environments} environments served the last 200 of 16 callers' no-op invokes: no caller was handed a busy one's`);
  });

  test('runs that wait on I/O still get an environment each, as on AWS', async () => {
    await create('handoff-sleeper', 1769);
    const seen = await load('handoff-sleeper', 8, 1, { sleep: 300 });
    assert.equal(new Set(seen).size, 8);
    // Side by side: eight environments for eight overlapping runs, and they are the warm ones.
    const again = await load('handoff-sleeper', 8, 1, { sleep: 300 });
    assert.equal(new Set(again).size, 8);
    assert.deepEqual([...again].sort(), [...seen].sort(), 'the second round ran on the first round\'s warm environments');
  });

  test('while callers wait on busy environments, crashes and slow runs lose no invocation', async () => {
    await create('handoff-mixed', 1769);
    await load('handoff-mixed', 16, 5, {});
    const outcomes = { ok: 0, crashed: 0, other: 0 };
    const others: string[] = [];
    await Promise.all(Array.from({ length: 16 }, async (_, client) => {
      for (let i = 0; i < 20; i++) {
        // Every 7th call crashes its environment; one call per client sleeps 300 ms, holding its environment.
        const crash = (client * 20 + i) % 7 === 0;
        const out = await invokeRaw('handoff-mixed', { crash, sleep: i === 10 ? 300 : 0 });
        const body = Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8');
        if (!out.FunctionError && body.length > 2) outcomes.ok++;
        else if (out.FunctionError === 'Unhandled' && body.includes('Runtime.ExitError')) outcomes.crashed++;
        else { outcomes.other++; others.push(`${out.FunctionError ?? 'no error'}: ${body.slice(0, 300)}`); }
      }
    }));
    const crashes = Array.from({ length: 320 }, (_, n) => n).filter((n) => n % 7 === 0).length;
    assert.deepEqual(outcomes, { ok: 320 - crashes, crashed: crashes, other: 0 }, others.join('\n'));
  });
});
