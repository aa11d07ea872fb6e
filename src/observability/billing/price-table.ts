import prices from './prices.json' with { type: 'json' };

/** The price table (`prices.json`): where it comes from, and every figure the bill uses. */
export interface PriceTable {
  date: string;
  source: string;
  region: string;
  requestsPerMillion: string;
  freeTier: { requests: number; gbSeconds: number };
  duration: Record<Architecture, { upToGbSeconds: number | null; pricePerGbSecond: string }[]>;
  ephemeralStorage: { freeMb: number; pricePerGbSecond: string };
  provisionedConcurrency: Record<Architecture, { allocatedPerGbSecond: string; durationPerGbSecond: string }>;
}

export type Architecture = 'x86_64' | 'arm64';

export const PRICES: PriceTable = prices as PriceTable;

export function architectureOf(value: string | null | undefined): Architecture {
  return value === 'arm64' ? 'arm64' : 'x86_64';
}
