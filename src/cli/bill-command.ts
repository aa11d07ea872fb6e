import { DEFAULT_ACCOUNT_ID } from '../auth/credentials.js';
import type { Bill } from '../observability/billing/bill.js';
import { billFor } from '../observability/billing/billing-route.js';
import type { BillGrouping } from '../observability/billing/monthly-usage.js';
import { describeStoreSource, openReadStore, type StoreSource } from './read-store.js';

/** `lambkin bill`: a month's Lambda bill from the usage records, as a table or JSON. */
export async function billCommand(options: StoreSource & { month?: string; by?: string; accountId?: string; region?: string; json: boolean }): Promise<number> {
  const by = (options.by ?? 'function') as BillGrouping;
  if (!['function', 'day', 'version'].includes(by)) throw new Error('--by must be function, day or version');
  const store = await openReadStore(options);
  if (!store) {
    process.stderr.write(`lambkin: no Lambkin data in ${describeStoreSource(options)}\n`);
    return 1;
  }
  try {
    const bill = await billFor(store, { accountId: options.accountId ?? DEFAULT_ACCOUNT_ID, region: options.region, month: options.month, by, nowMs: Date.now() });
    process.stdout.write(options.json ? `${JSON.stringify(bill, null, 2)}\n` : billTable(bill, by));
    return 0;
  } finally {
    await store.destroy();
  }
}

export function billTable(bill: Bill, by: string): string {
  const header = [by, 'requests', 'GB-s', 'provisioned GB-s', 'cost (USD)'];
  const body = bill.rows.map((r) => [r.key, r.requests.toLocaleString('en-US'), r.gbSeconds, (Number(r.provisionedGbSeconds) + Number(r.provisionedAllocatedGbSeconds)).toString(), r.cost]);
  const t = bill.total;
  const foot = [
    ['total', t.requests.toLocaleString('en-US'), t.gbSeconds, '', ''],
    ['free tier', `-${t.freeTier.requests.toLocaleString('en-US')}`, `-${t.freeTier.gbSeconds}`, '', ''],
  ];
  const all = [header, ...body, ...foot];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [
    `Lambda bill for ${bill.month} (prices of ${bill.prices.date}, ${bill.prices.region}, ${bill.prices.source})`,
    line(header), rule, ...body.map(line), rule, ...foot.map(line),
    '',
    `requests $${t.requestsCost}  duration $${t.durationCost}  ephemeral storage $${t.ephemeralStorageCost}  provisioned concurrency $${t.provisionedConcurrencyCost}`,
    `total $${t.cost}`,
    '',
  ].join('\n');
}
