import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ShiftableClock } from '../src/clock.js';
import { createLogger } from '../src/logger.js';
import { aggregateOfRow } from '../src/observability/metrics/metric-rows.js';
import { dimensionsKey } from '../src/observability/metrics/metric-series.js';
import { MetricStore } from '../src/observability/metrics/metric-store.js';
import { sweepMetricRetention } from '../src/observability/metrics/metric-retention.js';
import { percentile } from '../src/observability/metrics/value-distribution.js';
import { openStore, type Store } from '../src/store/database.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const scope = { accountId: '000000000000', region: 'us-east-1' };

describe('Metric store', () => {
  let dir: string;
  let db: Store;
  let clock: ShiftableClock;
  let metrics: MetricStore;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lambkin-metrics-'));
    db = await openStore({ kind: 'sqlite', dataDir: dir });
    clock = new ShiftableClock(T0);
    metrics = new MetricStore(db, clock, createLogger('silent'), { flushIntervalMs: 60_000 });
  });
  after(async () => {
    await metrics.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = (metricName: string, dimensions: Record<string, string> = {}, startMs = T0 - 10 * MINUTE, endMs = T0 + 10 * MINUTE) =>
    metrics.datapoints({ ...scope, namespace: 'Test', metricName, dimensions: dimensionsKey(dimensions), startMs, endMs });

  test('values recorded in one minute become one point, merged across flushes, with their distribution', async () => {
    for (const value of [5, 1, 3]) metrics.record({ ...scope, namespace: 'Test', metricName: 'Latency', dimensions: { B: '2', A: '1' }, value, unit: 'Milliseconds', timestampMs: T0 + 1000 });
    await metrics.flush();
    metrics.record({ ...scope, namespace: 'Test', metricName: 'Latency', dimensions: { A: '1', B: '2' }, value: 100, count: 2, unit: 'Milliseconds', timestampMs: T0 + 59_000 });
    const rows = await read('Latency', { A: '1', B: '2' });
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.deepEqual([row.timestamp, row.period_s, row.unit], [T0, 60, 'Milliseconds']);
    assert.deepEqual([row.sample_count, row.sum, row.minimum, row.maximum], [5, 209, 1, 100]);
    const agg = aggregateOfRow(row);
    assert.equal(percentile(agg.distribution!, 50), 5);
    assert.equal(percentile(agg.distribution!, 60), 5);
    assert.equal(percentile(agg.distribution!, 61), 100);
    assert.equal(percentile(agg.distribution!, 20), 1);
  });

  test('a statistic set leaves the point without a distribution; high resolution keeps seconds', async () => {
    metrics.recordStatistics({ ...scope, namespace: 'Test', metricName: 'Set', sampleCount: 4, sum: 10, minimum: 1, maximum: 4, timestampMs: T0 });
    metrics.record({ ...scope, namespace: 'Test', metricName: 'Set', value: 7, timestampMs: T0 + 2000 });
    metrics.record({ ...scope, namespace: 'Test', metricName: 'Fast', value: 1, storageResolution: 1, timestampMs: T0 + 1500 });
    metrics.record({ ...scope, namespace: 'Test', metricName: 'Fast', value: 2, storageResolution: 1, timestampMs: T0 + 2500 });
    const [set] = await read('Set');
    assert.deepEqual([set!.sample_count, set!.sum, set!.minimum, set!.maximum, set!.distribution], [5, 17, 1, 7, null]);
    const fast = await read('Fast');
    assert.deepEqual(fast.map((r) => [r.timestamp - T0, r.period_s, r.sum]), [[1000, 1, 1], [2000, 1, 2]]);
  });

  test('lists each series once, by namespace and name', async () => {
    const all = await metrics.metrics({ ...scope, namespace: 'Test', sinceMs: T0 - MINUTE });
    assert.deepEqual(all.map((m) => [m.metricName, m.dimensions]), [
      ['Fast', '[]'], ['Latency', '[["A","1"],["B","2"]]'], ['Set', '[]'],
    ]);
    assert.deepEqual(await metrics.metrics({ ...scope, namespace: 'Test', sinceMs: T0 + 10 * MINUTE }), []);
  });

  test('retention rolls seconds into minutes after 3 hours, minutes into 5 minutes after 15 days, and drops hours after 455 days', async () => {
    await sweepMetricRetention(db, T0 + 3 * 60 * MINUTE + 5000);
    const fast = await read('Fast');
    assert.deepEqual(fast.map((r) => [r.timestamp - T0, r.period_s, r.sample_count, r.sum]), [[0, 60, 2, 3]]);
    await sweepMetricRetention(db, T0 + 15 * 24 * 60 * MINUTE + MINUTE);
    const latency = await read('Latency', { A: '1', B: '2' });
    assert.deepEqual(latency.map((r) => [r.period_s, r.sample_count, r.sum]), [[300, 5, 209]]);
    assert.equal(percentile(aggregateOfRow(latency[0]!).distribution!, 90), 100);
    await sweepMetricRetention(db, T0 + 456 * 24 * 60 * MINUTE);
    assert.deepEqual(await read('Latency', { A: '1', B: '2' }), []);
  });
});
