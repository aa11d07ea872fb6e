import { Decimal } from 'decimal.js';
import type { ProvisionedAllocation, UsageGroup } from './monthly-usage.js';
import { architectureOf, PRICES, type Architecture, type PriceTable } from './price-table.js';

export interface BillRow {
  key: string;
  requests: number;
  /** On-demand GB-seconds (billed milliseconds × memory). */
  gbSeconds: string;
  /** GB-seconds of invocations that provisioned environments ran, and of the allocations themselves. */
  provisionedGbSeconds: string;
  provisionedAllocatedGbSeconds: string;
  /** Before the free tier and volume tiers: requests, duration at the first tier's price, storage, provisioned. */
  cost: string;
}

export interface Bill {
  month: string;
  prices: { date: string; source: string; region: string };
  rows: BillRow[];
  total: {
    requests: number;
    gbSeconds: string;
    freeTier: { requests: number; gbSeconds: string };
    requestsCost: string;
    durationCost: string;
    ephemeralStorageCost: string;
    provisionedConcurrencyCost: string;
    /** What AWS would charge: the sum of the four above, to the cent. */
    cost: string;
  };
}

const MB_PER_GB = 1024;

function gbSeconds(memoryMb: number, billedMs: number): Decimal {
  return new Decimal(memoryMb).div(MB_PER_GB).mul(new Decimal(billedMs).div(1000));
}

/** Duration cost of `amount` GB-s (the month's billable total) through the volume tiers. */
function tieredCost(tiers: PriceTable['duration'][Architecture], amount: Decimal): Decimal {
  let cost = new Decimal(0);
  let used = new Decimal(0);
  for (const tier of tiers) {
    if (amount.lte(used)) break;
    const top = tier.upToGbSeconds === null ? amount : Decimal.min(amount, tier.upToGbSeconds);
    cost = cost.add(top.sub(used).mul(tier.pricePerGbSecond));
    used = top;
  }
  return cost;
}

/**
 * A month's Lambda bill, AWS's way: $0.20 per million requests and GB-seconds at the
 * architecture's price through its monthly volume tiers, after the free tier (1,000,000 requests
 * and 400,000 GB-s, shared by both architectures, here taken from x86_64 first); storage above
 * 512 MB per GB-s; provisioned concurrency per GB-s allocated plus its invocations at the lower
 * duration price (no free tier). Billed duration is the REPORT line's, rounded up to 1 ms and
 * including Init where AWS bills it.
 */
export function computeBill(month: string, invocations: UsageGroup[], allocations: ProvisionedAllocation[], prices: PriceTable = PRICES): Bill {
  const rows = new Map<string, { requests: number; gbs: Decimal; pcGbs: Decimal; pcAllocGbs: Decimal; cost: Decimal }>();
  const rowOf = (key: string) => {
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { requests: 0, gbs: new Decimal(0), pcGbs: new Decimal(0), pcAllocGbs: new Decimal(0), cost: new Decimal(0) }));
    return row;
  };
  const onDemand: Record<Architecture, Decimal> = { x86_64: new Decimal(0), arm64: new Decimal(0) };
  let requests = 0;
  let ephemeralCost = new Decimal(0);
  let provisionedCost = new Decimal(0);
  const perRequest = new Decimal(prices.requestsPerMillion).div(1_000_000);

  for (const u of invocations) {
    const arch = architectureOf(u.architecture);
    const row = rowOf(u.key);
    const gbs = gbSeconds(u.memoryMb, u.billedMs);
    requests += u.requests;
    row.requests += u.requests;
    row.cost = row.cost.add(perRequest.mul(u.requests));
    const storageMb = (u.ephemeralStorageMb ?? prices.ephemeralStorage.freeMb) - prices.ephemeralStorage.freeMb;
    if (storageMb > 0) {
      const storageCost = gbSeconds(storageMb, u.billedMs).mul(prices.ephemeralStorage.pricePerGbSecond);
      ephemeralCost = ephemeralCost.add(storageCost);
      row.cost = row.cost.add(storageCost);
    }
    if (u.provisioned) {
      const c = gbs.mul(prices.provisionedConcurrency[arch].durationPerGbSecond);
      provisionedCost = provisionedCost.add(c);
      row.pcGbs = row.pcGbs.add(gbs);
      row.cost = row.cost.add(c);
    } else {
      onDemand[arch] = onDemand[arch].add(gbs);
      row.gbs = row.gbs.add(gbs);
      row.cost = row.cost.add(gbs.mul(prices.duration[arch][0]!.pricePerGbSecond));
    }
  }
  for (const a of allocations) {
    const arch = architectureOf(a.architecture);
    const gbs = new Decimal(a.memoryMb).div(MB_PER_GB).mul(a.concurrency).mul(a.seconds);
    const c = gbs.mul(prices.provisionedConcurrency[arch].allocatedPerGbSecond);
    provisionedCost = provisionedCost.add(c);
    const row = rowOf(a.key);
    row.pcAllocGbs = row.pcAllocGbs.add(gbs);
    row.cost = row.cost.add(c);
  }

  const freeRequests = Math.min(requests, prices.freeTier.requests);
  let freeLeft = new Decimal(prices.freeTier.gbSeconds);
  let durationCost = new Decimal(0);
  let freeGbs = new Decimal(0);
  for (const arch of ['x86_64', 'arm64'] as const) {
    const free = Decimal.min(freeLeft, onDemand[arch]);
    freeLeft = freeLeft.sub(free);
    freeGbs = freeGbs.add(free);
    durationCost = durationCost.add(tieredCost(prices.duration[arch], onDemand[arch].sub(free)));
  }
  const requestsCost = perRequest.mul(requests - freeRequests);
  const total = requestsCost.add(durationCost).add(ephemeralCost).add(provisionedCost);
  const money = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
  const exact = (d: Decimal) => d.toDecimalPlaces(10, Decimal.ROUND_HALF_UP).toFixed();
  return {
    month,
    prices: { date: prices.date, source: prices.source, region: prices.region },
    rows: [...rows].sort((a, b) => a[0].localeCompare(b[0])).map(([key, r]) => ({
      key, requests: r.requests, gbSeconds: exact(r.gbs), provisionedGbSeconds: exact(r.pcGbs), provisionedAllocatedGbSeconds: exact(r.pcAllocGbs), cost: exact(r.cost),
    })),
    total: {
      requests,
      gbSeconds: exact(onDemand.x86_64.add(onDemand.arm64)),
      freeTier: { requests: freeRequests, gbSeconds: exact(freeGbs) },
      requestsCost: exact(requestsCost),
      durationCost: exact(durationCost),
      ephemeralStorageCost: exact(ephemeralCost),
      provisionedConcurrencyCost: exact(provisionedCost),
      cost: money(total),
    },
  };
}
