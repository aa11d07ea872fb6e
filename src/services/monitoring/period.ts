import { errors } from './errors.js';

const HOUR_MS = 3_600_000;

/** A query period: 1, 5, 10, 20, 30 or a multiple of 60 seconds. */
export function checkPeriod(periodS: number, name: string): void {
  if (!Number.isInteger(periodS) || periodS < 1 || (periodS < 60 ? ![1, 5, 10, 20, 30].includes(periodS) : periodS % 60 !== 0)) {
    throw errors.invalidParameter(`The parameter ${name} must be a multiple of 60 or one of 1, 5, 10, 20 or 30.`);
  }
}

/**
 * Whether a period this fine still finds data from `startMs` on: for data older than CloudWatch
 * keeps finer points, a multiple of 60 (3 h – 15 days), 300 (15 – 63 days) or 3600 (beyond);
 * otherwise CloudWatch returns no points.
 */
export function periodServesStart(periodS: number, startMs: number, nowMs: number): boolean {
  const age = nowMs - startMs;
  if (age > 63 * 24 * HOUR_MS) return periodS % 3600 === 0;
  if (age > 15 * 24 * HOUR_MS) return periodS % 300 === 0;
  if (age > 3 * HOUR_MS) return periodS % 60 === 0;
  return true;
}
