import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { CreateFunctionCommand, DeleteProvisionedConcurrencyConfigCommand, InvokeCommand, PublishVersionCommand, PutProvisionedConcurrencyConfigCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { computeBill } from '../src/observability/billing/bill.js';
import type { UsageGroup } from '../src/observability/billing/monthly-usage.js';
import { PRICES } from '../src/observability/billing/price-table.js';
import { listUsageRecords } from '../src/observability/usage-records.js';
import { startTestServer, type TestServer } from './support/server.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';

const run = promisify(execFile);
const CLI = new URL('../../bin/lambkin.js', import.meta.url).pathname;
const usage = (over: Partial<UsageGroup> & Pick<UsageGroup, 'requests' | 'billedMs'>): UsageGroup => ({
  key: 'fn', architecture: 'x86_64', memoryMb: 512, ephemeralStorageMb: 512, provisioned: false, ...over,
});

describe('Billing: hand-computed bills', () => {
  test('the price table says where and when its prices come from', () => {
    assert.equal(PRICES.source, 'https://aws.amazon.com/lambda/pricing/');
    assert.match(PRICES.date, /^\d{4}-\d{2}-\d{2}$/);
  });

  test('3,000,000 invocations of 512 MB × 120 ms: 180,000 GB-s all in the free tier, 2,000,000 requests at $0.20 per million', () => {
    const bill = computeBill('2026-11', [usage({ requests: 3_000_000, billedMs: 3_000_000 * 120 })], []);
    assert.equal(bill.total.gbSeconds, '180000');
    assert.deepEqual(bill.total.freeTier, { requests: 1_000_000, gbSeconds: '180000' });
    assert.equal(bill.total.requestsCost, '0.4');
    assert.equal(bill.total.durationCost, '0');
    assert.equal(bill.total.cost, '0.40');
  });

  test("AWS's pricing-page example: 3,000,000 × 512 MB × 1 s = 1,500,000 GB-s, 1,100,000 billable → $18.33 + $0.40 = $18.73", () => {
    const bill = computeBill('2026-11', [usage({ requests: 3_000_000, billedMs: 3_000_000 * 1000 })], []);
    assert.equal(bill.total.durationCost, '18.33337');
    assert.equal(bill.total.cost, '18.73');
    assert.equal(bill.rows[0]!.cost, '25.60005', 'the row is before the free tier: 0.60 + 1,500,000 × 0.0000166667');
  });

  test('the free-tier edge: 1,000,000 requests and 400,000 GB-s cost nothing; one more of each costs its price', () => {
    // 1,000,000 × 1024 MB × 400 ms = 400,000 GB-s.
    const edge = computeBill('2026-11', [usage({ memoryMb: 1024, requests: 1_000_000, billedMs: 400_000_000 })], []);
    assert.deepEqual([edge.total.requestsCost, edge.total.durationCost, edge.total.cost], ['0', '0', '0.00']);
    const over = computeBill('2026-11', [usage({ memoryMb: 1024, requests: 1_000_001, billedMs: 400_001_000 })], []);
    assert.equal(over.total.requestsCost, '0.0000002');
    assert.equal(over.total.durationCost, '0.0000166667');
  });

  test('the free tier is shared by both architectures; arm64 has its own price', () => {
    const bill = computeBill('2026-11', [
      usage({ key: 'a', memoryMb: 1024, requests: 10, billedMs: 300_000_000 }),
      usage({ key: 'b', memoryMb: 1024, requests: 10, billedMs: 200_000_000, architecture: 'arm64' }),
    ], []);
    assert.equal(bill.total.freeTier.gbSeconds, '400000');
    assert.equal(bill.total.durationCost, '1.33334', '100,000 arm64 GB-s × $0.0000133334');
  });

  test('volume tiers: past 6 billion x86_64 GB-s a month the price drops to $0.000015', () => {
    const bill = computeBill('2026-11', [usage({ memoryMb: 1024, requests: 1, billedMs: 7_000_400_000_000 })], []);
    assert.equal(bill.total.durationCost, '115000.2', '6e9 × 0.0000166667 + 1e9 × 0.000015');
  });

  test('ephemeral storage above 512 MB, and provisioned concurrency allocated and used', () => {
    const storage = computeBill('2026-11', [usage({ memoryMb: 128, ephemeralStorageMb: 1024, requests: 1_000_000, billedMs: 1_000_000_000 })], []);
    assert.equal(storage.total.ephemeralStorageCost, '0.01545', '0.5 GB × 1,000,000 s × $0.0000000309');
    const provisioned = computeBill('2026-11',
      [usage({ memoryMb: 1024, provisioned: true, requests: 1000, billedMs: 1_000_000 })],
      [{ key: 'fn', architecture: 'x86_64', memoryMb: 1024, concurrency: 1, seconds: 3600 }]);
    assert.equal(provisioned.total.provisionedConcurrencyCost, '0.02472232', '3,600 GB-s × $0.0000041667 + 1,000 GB-s × $0.0000097222');
    assert.equal(provisioned.total.gbSeconds, '0', 'provisioned invocations are not on-demand GB-s');
  });
});

describe('Billing: lambkin bill and /_lambkin/billing', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('a few real invocations show up on the bill, the same through the route and the command', async () => {
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'billed', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, MemorySize: 256, Code: { ZipFile: NODE_HANDLER_ZIP } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'billed' });
    for (let i = 0; i < 3; i++) await lambda.send(new InvokeCommand({ FunctionName: 'billed', Payload: Buffer.from('{}') }));
    const month = new Date().toISOString().slice(0, 7);
    let bill: { rows: { key: string; requests: number; gbSeconds: string }[]; total: { requests: number; cost: string; freeTier: { requests: number } } } | undefined;
    for (let i = 0; i < 50; i++) {
      bill = (await (await fetch(`${server.url}/_lambkin/billing?month=${month}`)).json()) as typeof bill;
      if (bill!.total.requests === 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const records = await listUsageRecords(server.lambkin.store, { accountId: '000000000000', region: 'us-east-1', functionName: 'billed' });
    const billedMs = records.reduce((n, r) => n + r.billed_ms, 0);
    assert.deepEqual(bill!.rows.map((r) => [r.key, r.requests, Number(r.gbSeconds)]), [['billed', 3, (billedMs / 1000) * 0.25]]);
    assert.equal(bill!.total.freeTier.requests, 3);
    assert.equal(bill!.total.cost, '0.00');
    const bad = await fetch(`${server.url}/_lambkin/billing?month=2026-13`);
    assert.equal(bad.status, 400);

    const { stdout } = await run(process.execPath, [CLI, 'bill', '--json', '--month', month, ...server.storeArgs]);
    assert.deepEqual(JSON.parse(stdout), bill);
    const table = (await run(process.execPath, [CLI, 'bill', '--by', 'version', '--month', month, ...server.storeArgs])).stdout;
    assert.match(table, /^Lambda bill for \d{4}-\d\d \(prices of /);
    assert.match(table, /\nbilled:\$LATEST +3 /);
    assert.match(table, /\ntotal \$0\.00\n/);
  });

  test('provisioned concurrency is billed for the time it is allocated', async () => {
    const lambda = server.lambda();
    const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: 'billed' }));
    await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'billed', Qualifier: Version, ProvisionedConcurrentExecutions: 2 }));
    await new Promise((r) => setTimeout(r, 1500));
    await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'billed', Qualifier: Version }));
    const month = new Date().toISOString().slice(0, 7);
    let row: { provisionedAllocatedGbSeconds: string } | undefined;
    for (let i = 0; i < 50; i++) {
      const bill = (await (await fetch(`${server.url}/_lambkin/billing?month=${month}&by=version`)).json()) as { rows: { key: string; provisionedAllocatedGbSeconds: string }[]; total: { provisionedConcurrencyCost: string } };
      row = bill.rows.find((r) => r.key === `billed:${Version}`);
      if (row) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // 2 × 0.25 GB for about 1.5 s (more on a slow host): at least 0.75 GB-s, far below a minute's 30.
    const gbs = Number(row?.provisionedAllocatedGbSeconds);
    assert.ok(gbs >= 0.7 && gbs < 30, `allocated GB-s ${gbs}`);
  });
});
